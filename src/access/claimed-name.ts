import { forbiddenCharacterIn, forbiddenCharacters } from '../domain/plan/texts.ts';

/**
 * The control character an identity provider's organisation claim holds, if any: then no
 * organisation in the directory can match it. Unlike the person's name, the organisation decides
 * what the person may do, so such a claim is refused rather than cleaned into some organisation's name.
 */
export const controlCharacterInOrganisation = (claim: string): string | undefined => forbiddenCharacterIn(claim)?.codePoint;

/**
 * A person's name as an identity provider gives it, made fit to record as who did something:
 * one line, with no control character (src/domain/plan/texts.ts). The provider's name is a
 * label, not what identifies the person (the token's subject does that), so a stray character
 * in it becomes a space (as do line breaks and tabs) rather than refusing every write the person
 * makes; undefined when nothing is left, so the caller falls back to the subject.
 */
export const claimedName = (claim: string | undefined): string | undefined => {
  if (claim === undefined) return undefined;
  const name = claim.replace(/\s/g, ' ').replace(forbiddenCharacters(), ' ').replace(/ {2,}/g, ' ').trim();
  return name === '' ? undefined : name;
};
