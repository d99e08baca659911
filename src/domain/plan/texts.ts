import { unprocessable } from '../errors.ts';

/**
 * Characters no text in the ledger may hold: the C0 controls other than tab, line feed and
 * carriage return (NUL, form feed, vertical tab, escape...), which XML 1.0 refuses too, so a board
 * report, an inquiry pack or a spreadsheet built from the ledger would break on them or hide them;
 * and surrogates that pair with nothing, which no UTF-8 file can carry. Events already recorded
 * stay as they are: the rule is the decider's, for what is recorded from now on.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this rule's whole purpose
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|\p{Cs}/u;

/** Every forbidden character in a text, for those who remove them from what they read (the importer). */
export const forbiddenCharacters = (): RegExp => new RegExp(FORBIDDEN.source, 'gu');

/** A character as Unicode names it: U+0000. */
export const codePointOf = (character: string): string => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Where in a command's data a text holds a forbidden character, and which: the first met, depth first. */
export const forbiddenCharacterIn = (value: unknown, path: string[] = []): { path: string; codePoint: string } | undefined => {
  if (typeof value === 'string') {
    const found = FORBIDDEN.exec(value);
    if (!found) return undefined;
    return { path: path.join('.') || '(the value)', codePoint: codePointOf(found[0]) };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = forbiddenCharacterIn(inner, [...path, key]);
    if (found) return found;
  }
  return undefined;
};

/** Refuses a command whose data holds a forbidden character anywhere (texts, lists, a correction's changes). */
export const refuseForbiddenCharacters = (data: unknown): void => {
  const found = forbiddenCharacterIn(data);
  if (found)
    throw unprocessable(
      'forbidden-character',
      `${found.path} holds ${found.codePoint}: ` +
        'a text may hold tabs and line breaks, but no other control character and no unpaired surrogate',
    );
};
