/**
 * A Word document or a workbook as the importer sees it before any plan is read: text
 * outside tables as paragraphs, and tables as real rows of real cells. Each paragraph and
 * cell knows its place in the original ("table 2, row 3, cell 4", `sheet "Actions", cell
 * C5`), so every warning and every fact can name where it came from.
 */
export interface SourceParagraph {
  text: string;
  /** Where it is, as a person would find it in the original. */
  place: string;
  /** A title or heading style (Word's Title, Heading 1…): a candidate title or section heading. */
  heading?: boolean | undefined;
}

export interface SourceCell {
  /** One entry per paragraph of the cell, in order; an empty cell has none. */
  paragraphs: SourceParagraph[];
  place: string;
  /** The first grid column the cell occupies (0-based), after any columns the row skips. */
  column: number;
  /** How many grid columns it spans (Word's gridSpan, a merged range in a workbook). */
  span: number;
  /** The lower part of a cell merged down from the row above (Word's vMerge, a workbook's merged range). */
  mergedFromAbove: boolean;
}

export interface SourceRow {
  cells: SourceCell[];
  place: string;
}

export type SourceBlock =
  | { kind: 'paragraph'; paragraph: SourceParagraph }
  | { kind: 'table'; rows: SourceRow[]; place: string; /** A worksheet's name, for workbooks. */ name?: string | undefined };

export interface SourceDocument {
  format: 'docx' | 'xlsx';
  blocks: SourceBlock[];
}

export const cellText = (cell: SourceCell): string =>
  cell.paragraphs
    .map((p) => p.text)
    .join('\n')
    .trim();
