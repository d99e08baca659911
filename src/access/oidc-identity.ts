import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import { controlCharacterInOrganisation } from './claimed-name.ts';

/**
 * The longest subject kept: every event's actor id is `oidc:<sub>`, and the envelope keeps an
 * actor id to 200 characters (events/envelope.ts). Providers' subjects are far shorter (a GUID,
 * a pairwise hash of 43 characters).
 */
export const SUBJECT_MAX_CHARACTERS = 195;
/** The longest organisation name the directory and every route that names one take. */
export const ORGANISATION_MAX_CHARACTERS = 300;

// Tab, line feed and carriage return are kept in a text, but not in an identifier: the id is one line.
const LINE_BREAK_OR_TAB = /[\t\n\r]/u;

/**
 * Why a token's `sub` cannot identify the person, or undefined when it can. The subject is what
 * tells one person's events from another's, so it must be a non-empty string (OIDC Core §2), one
 * line without blanks at its ends: an empty one would make every such person `oidc:`, a number is not
 * what the provider promised, and a control character cannot be recorded.
 */
export const unacceptableSubject = (sub: unknown): string | undefined => {
  if (typeof sub !== 'string') return "the token's sub claim is not a string";
  if (sub.length === 0 || sub.length > SUBJECT_MAX_CHARACTERS)
    return `the token's sub claim must have 1 to ${SUBJECT_MAX_CHARACTERS} characters`;
  if (sub.trim() !== sub) return "the token's sub claim begins or ends with a space, so it is not the subject as the provider keeps it";
  if (LINE_BREAK_OR_TAB.test(sub) || controlCharacterInOrganisation(sub))
    return "the token's sub claim holds a control character, so it cannot be recorded as who acted";
  return undefined;
};

export type ClaimedOrganisation = { ok: true; organisation: string } | { ok: false; detail: string };

/**
 * The one organisation a token acts for. The organisation decides what the person may do, so, as
 * with roles, the ledger never picks one of several: a claim naming two organisations (not two
 * aliases of one) is refused, as is a name no organisation can have (a control character, or
 * longer than any name the directory or the routes take).
 */
export const claimedOrganisation = (
  claim: string,
  values: readonly string[],
  directory: Pick<OrganisationDirectory, 'canonical'>,
): ClaimedOrganisation => {
  const named = values.filter((value) => value.trim() !== '');
  if (named.length === 0) return { ok: false, detail: `the token has no ${claim} claim` };
  for (const value of named) {
    const hidden = controlCharacterInOrganisation(value);
    if (hidden) return { ok: false, detail: `the token's ${claim} claim holds ${hidden}, so it names no organisation` };
    if (value.length > ORGANISATION_MAX_CHARACTERS)
      return {
        ok: false,
        detail: `the token's ${claim} claim is longer than ${ORGANISATION_MAX_CHARACTERS} characters, so it names no organisation`,
      };
  }
  const organisations = [...new Set(named.map((value) => directory.canonical(value)))];
  if (organisations.length > 1)
    return {
      ok: false,
      detail:
        `the token's ${claim} claim names ${organisations.length} organisations (${organisations.join(', ')}): ` +
        'a token acts for exactly one',
    };
  return { ok: true, organisation: organisations[0]! };
};
