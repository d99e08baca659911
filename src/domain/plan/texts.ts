import { unprocessable } from '../errors.ts';
import { firstTextWhere } from '../first-text.ts';

/**
 * Characters no text in the ledger may hold: the C0 controls other than tab, line feed and
 * carriage return (NUL, form feed, vertical tab, escape...), which XML 1.0 refuses too, so a board
 * report, an inquiry pack or a spreadsheet built from the ledger would break on them or hide them;
 * DEL and the C1 controls (U+007F-U+009F), which XML 1.0 discourages and XML 1.1 admits only
 * escaped, which print as nothing, and of which U+009B starts a terminal's escape sequence as ESC [
 * does; the explicit bidirectional embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069), which reorder the text shown after them, so a value holding one scrambles the page,
 * report or terminal line around it ("due March 2018" read backwards), as evidence files' names may
 * not hold them either (text in right-to-left scripts needs none: Unicode orders it by itself); and
 * surrogates that pair with nothing, which no UTF-8 file can carry. Events already
 * recorded stay as they are: the rule is the decider's, for what is recorded from now on.
 */
const C0_AND_NONCHARACTERS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF';
const DEL_AND_C1 = '\\u007F-\\u009F';
const REORDERING = '\\u202A-\\u202E\\u2066-\\u2069';
const FORBIDDEN = new RegExp(`[${C0_AND_NONCHARACTERS}${DEL_AND_C1}${REORDERING}]|\\p{Cs}`, 'u');
/** Whether a forbidden character is one of the bidirectional controls, not a control character. */
const REORDERING_CHARACTER = new RegExp(`^[${REORDERING}]$`, 'u');
export const reordersText = (character: string): boolean => REORDERING_CHARACTER.test(character);

/** Every forbidden character in a text, for those who remove them from what they read (the importer). */
export const forbiddenCharacters = (): RegExp => new RegExp(FORBIDDEN.source, 'gu');

/** A character as Unicode names it: U+0000. */
export const codePointOf = (character: string): string => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Where in a command's data a text (a value or a field name) holds a forbidden character, and which: the first met. */
export const forbiddenCharacterIn = (value: unknown): { path: string; codePoint: string } | undefined => {
  const found = firstTextWhere(value, (text) => FORBIDDEN.test(text));
  if (!found) return undefined;
  const where = found.isKey ? `a field name in ${found.path || 'the data'}` : found.path || '(the value)';
  return { path: where, codePoint: codePointOf(FORBIDDEN.exec(found.text)![0]) };
};

/** What a schema says of a name that holds a forbidden character (a key's name, an organisation asked for). */
export const NO_CONTROL_CHARACTERS = 'must not hold control characters';
/** Whether a name to be recorded holds no forbidden character: the test for a schema's `refine`. */
export const holdsNoControlCharacter = (text: string): boolean => forbiddenCharacterIn(text) === undefined;

/**
 * Whether a name asked for could be a recorded one. DEL and the C1 controls were recorded until
 * they were refused too, so a name holding them may still be in a ledger, and is looked for.
 */
const NEVER_RECORDED = new RegExp(`[${C0_AND_NONCHARACTERS}]|\\p{Cs}`, 'u');
export const couldBeRecordedName = (text: string): boolean => !NEVER_RECORDED.test(text);

/** Refuses a command whose data holds a forbidden character anywhere (texts, lists, a correction's changes). */
export const refuseForbiddenCharacters = (data: unknown): void => {
  const found = forbiddenCharacterIn(data);
  if (found)
    throw unprocessable(
      'forbidden-character',
      `${found.path} holds ${found.codePoint}: ` +
        'a text may hold tabs and line breaks, but no other control character, no bidirectional embedding, override ' +
        'or isolate (U+202A-U+202E, U+2066-U+2069: they reorder the text shown after them) and no unpaired surrogate',
    );
};
