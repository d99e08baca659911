import { forbiddenCharacterIn, forbiddenCharacters } from '../domain/plan/texts.ts';

/**
 * The control character an identity provider's organisation claim holds, if any: then no
 * organisation in the directory can match it. Unlike the person's name, the organisation decides
 * what the person may do, so such a claim is refused rather than cleaned into some organisation's name.
 */
export const controlCharacterInOrganisation = (claim: string): string | undefined => forbiddenCharacterIn(claim)?.codePoint;

/** The longest name an event's actor keeps (events/envelope.ts), as a key's name is held to when it is created. */
export const NAME_MAX_CHARACTERS = 200;

/** A name cut to the limit, never inside a surrogate pair (half an emoji is not text). */
const withinNameLimit = (name: string): string => {
  if (name.length <= NAME_MAX_CHARACTERS) return name;
  const cut = /[\ud800-\udbff]$/u.test(name.slice(0, NAME_MAX_CHARACTERS)) ? NAME_MAX_CHARACTERS - 1 : NAME_MAX_CHARACTERS;
  return name.slice(0, cut).trimEnd();
};

/**
 * A person's name as an identity provider gives it, made fit to record as who did something:
 * one line, with no control character (src/domain/plan/texts.ts). The provider's name is a
 * label, not what identifies the person (the token's subject does that), so a stray character
 * in it becomes a space (as do line breaks and tabs), and one longer than an actor's name may be is
 * cut to it, rather than refusing every write the person makes; undefined when nothing is left, so the caller falls back to the subject.
 */
export const claimedName = (claim: string | undefined): string | undefined => {
  if (claim === undefined) return undefined;
  const name = claim.replace(/\s/g, ' ').replace(forbiddenCharacters(), ' ').replace(/ {2,}/g, ' ').trim();
  return name === '' ? undefined : withinNameLimit(name);
};
