import { cleanLine } from './control-characters.ts';
import type { ImportWarning } from './plan-document.ts';

/**
 * Word's plain-text export writes each table cell as a tab-indented line; lines that
 * continue a cell (its later paragraphs) are not indented. So a tab at the start of a
 * line opens a cell, and the cell runs until the next one. Text outside tables
 * (headings such as "Glossary of Terms", the name of a second document pasted after
 * the plan) arrives unindented and is recognised by what it says.
 */
export interface Line {
  /** 1-based line number in the source file. */
  n: number;
  text: string;
}

export interface Cell {
  kind: 'cell';
  /** Line of the cell's first text. */
  line: number;
  lines: Line[];
  /** False for text outside any table (a title line): never part of a header row. */
  inTable: boolean;
}

export type Marker =
  | { kind: 'glossary'; line: number; text: string }
  | { kind: 'other-document'; line: number; text: string }
  /** "Recommendation 2" on a line of its own outside the tables, with the paragraphs under it: what the next table answers. */
  | { kind: 'recommendation'; line: number; text: string; lines: Line[] };

export type Item = Cell | Marker;

/** Word leaves artefacts in text exports; each is removed with a warning naming its line. */
const ARTEFACTS: { pattern: RegExp; what: string }[] = [
  { pattern: /\[bookmark:[^\]]*\]/gi, what: 'a Word bookmark' },
  { pattern: /\[image:[^\]]*\]/gi, what: 'an image placeholder (the image is not in the text)' },
  { pattern: /\bFORM(?:TEXT|CHECKBOX|DROPDOWN)\b/g, what: 'a Word form-field code' },
  { pattern: /\[\s*(?:comment|footnote)[^\]]*\]/gi, what: 'a Word comment or footnote marker' },
];

export const normaliseSource = (raw: string, warnings: ImportWarning[]): Line[] =>
  raw
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((original, i) => {
      let text = cleanLine(original.replace(/[\u00A0\u2007\u202F]/g, ' ').replace(/[\u200B-\u200D\u2060\u00AD]/g, ''), i + 1, warnings);
      for (const { pattern, what } of ARTEFACTS) {
        text = text.replace(pattern, (found) => {
          warnings.push({ code: 'word-artefact', line: i + 1, message: `removed ${what}: ${found}` });
          return '';
        });
      }
      return { n: i + 1, text: text.replace(/\s+$/, '') };
    });

const OPENS_CELL = /^ *\t/;
const BARE_REF = /^\s*\d+(?:\.\d+)+\s*$/;
const GLOSSARY = /^\s*(?:glossary(?:\s+of\s+terms)?|abbreviations|acronyms|definitions)\s*:?\s*$/i;
/** "Suicide Prevention Resources.doc": the title of another file pasted after the plan. */
const OTHER_DOCUMENT = /^\s*\S.{0,150}\.(?:docx?|pdf|xlsx?|odt|rtf|pptx?)\s*$/i;
const RECOMMENDATION = /^\s*(?:recommendation|rec\.?)\s*R?\d{1,3}(?:\.\d{1,3})*\s*[.:)\-–—]?(?:\s+\S.{0,150})?$/i;

export const readItems = (lines: Line[]): Item[] => {
  const items: Item[] = [];
  let cell: Cell | undefined;
  let recommendation: Extract<Marker, { kind: 'recommendation' }> | undefined;
  const nextIsCell = (i: number) => {
    for (let j = i + 1; j < lines.length; j++) if (lines[j]!.text.trim() !== '') return OPENS_CELL.test(lines[j]!.text);
    return false;
  };
  lines.forEach((line, i) => {
    const text = line.text;
    if (!OPENS_CELL.test(text) && GLOSSARY.test(text)) {
      items.push({ kind: 'glossary', line: line.n, text: text.trim() });
      cell = undefined;
      recommendation = undefined;
      return;
    }
    if (!OPENS_CELL.test(text) && RECOMMENDATION.test(text)) {
      recommendation = { kind: 'recommendation', line: line.n, text: text.trim(), lines: [] };
      items.push(recommendation);
      cell = undefined;
      return;
    }
    if (recommendation && !OPENS_CELL.test(text)) {
      recommendation.lines.push(line);
      return;
    }
    recommendation = undefined;
    if (!OPENS_CELL.test(text) && OTHER_DOCUMENT.test(text) && !/^https?:/i.test(text.trim())) {
      items.push({ kind: 'other-document', line: line.n, text: text.trim() });
      cell = undefined;
      return;
    }
    // A row number that lost its tab in the export ("1.2" after an empty cell) still opens a cell.
    const opens = OPENS_CELL.test(text) || (BARE_REF.test(text) && nextIsCell(i));
    if (opens) {
      // Some exports put a whole row on one line, cells separated by tabs: each is a cell of its own.
      for (const part of text.replace(/^[ \t]+/, '').split('\t')) {
        cell = { kind: 'cell', line: line.n, lines: [{ n: line.n, text: part }], inTable: true };
        items.push(cell);
      }
    } else if (cell) {
      cell.lines.push({ n: line.n, text });
    } else if (text.trim() !== '') {
      // Text before any table: a title or a date line. Kept as its own one-line cell.
      cell = { kind: 'cell', line: line.n, lines: [{ n: line.n, text: text.trim() }], inTable: false };
      items.push(cell);
    }
  });
  for (const item of items) if (item.kind === 'cell') trimCell(item);
  return items;
};

/** Drops blank lines at either end of a cell, keeping the line of its first text. */
const trimCell = (cell: Cell) => {
  while (cell.lines.length > 0 && cell.lines.at(-1)!.text.trim() === '') cell.lines.pop();
  while (cell.lines.length > 0 && cell.lines[0]!.text.trim() === '') cell.lines.shift();
  if (cell.lines.length > 0) cell.line = cell.lines[0]!.n;
};

export const cellText = (cell: Cell): string =>
  cell.lines
    .map((l) => l.text.trim())
    .join('\n')
    .trim();
export const isEmptyCell = (cell: Cell): boolean => cellText(cell) === '';

/** Splits lines into paragraphs at blank lines, keeping each paragraph's first line number. */
export const paragraphs = (lines: Line[]): { line: number; text: string }[] => {
  const out: { line: number; lines: string[] }[] = [];
  let current: { line: number; lines: string[] } | undefined;
  for (const l of lines) {
    if (l.text.trim() === '') {
      current = undefined;
      continue;
    }
    if (!current) out.push((current = { line: l.n, lines: [] }));
    current.lines.push(l.text.trim());
  }
  return out.map((p) => ({ line: p.line, text: joinLines(p.lines) }));
};

/** Word wraps some sentences with hard line breaks ("… children and \nyoung people"): a lowercase start joins the line before. */
export const joinLines = (lines: string[]): string =>
  lines.reduce((acc, line) => (acc === '' ? line : /^[a-z]/.test(line) && !/[.:;]$/.test(acc) ? `${acc} ${line}` : `${acc}\n${line}`), '');
