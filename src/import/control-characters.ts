import { codePointOf, forbiddenCharacters, reordersText } from '../domain/plan/texts.ts';
import type { ImportWarning } from './plan-document.ts';
import type { SourceDocument } from './source/source-document.ts';

/**
 * Readies a document's text for a ledger that records no control characters but tab and line
 * breaks, nor the bidirectional controls (src/domain/plan/texts.ts). Word's manual line break (a vertical tab; Excel keeps it as
 * `_x000B_`) and page break (a form feed) are layout, so they become `lineBreak`; any other such
 * character (Word's cell and field marks among them) is removed, with a warning saying where.
 */
export const cleanText = (text: string, lineBreak: string, warn: (codePoint: string) => void): string =>
  text.replace(/[\v\f]/g, lineBreak).replace(forbiddenCharacters(), (found) => {
    warn(codePointOf(found));
    return '';
  });

const removed = (codePoint: string) =>
  reordersText(String.fromCodePoint(parseInt(codePoint.slice(2), 16)))
    ? `removed ${codePoint}, a bidirectional control that reorders the text shown after it`
    : `removed the control character ${codePoint}`;

/**
 * A recorded value as an import reads a document's: without the characters a write now refuses. A
 * ledger may hold DEL and the C1 controls from before they were refused, and a document holding the
 * same text has them removed, so compared as recorded an unchanged document would read as changed.
 */
export const withoutRefusedCharacters = <T>(value: T): T => {
  if (typeof value === 'string') return value.replace(forbiddenCharacters(), '') as T;
  if (Array.isArray(value)) return value.map(withoutRefusedCharacters) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutRefusedCharacters(inner)])) as T;
  return value;
};

/** `cleanText` on one line of a text export: a break within a line becomes a space, so its words stay apart. */
export const cleanLine = (text: string, line: number, warnings: ImportWarning[]): string =>
  cleanText(text, ' ', (codePoint) => warnings.push({ code: 'control-character', line, message: removed(codePoint) }));

/** `cleanText` on every paragraph of a Word document or workbook, in place. */
export const cleanSourceDocument = (source: SourceDocument, warnings: ImportWarning[]): void => {
  const clean = (paragraph: { text: string; place: string }) => {
    paragraph.text = cleanText(paragraph.text, '\n', (codePoint) =>
      warnings.push({ code: 'control-character', location: paragraph.place, message: removed(codePoint) }),
    );
  };
  for (const block of source.blocks)
    if (block.kind === 'paragraph') clean(block.paragraph);
    else for (const row of block.rows) for (const cell of row.cells) cell.paragraphs.forEach(clean);
};
