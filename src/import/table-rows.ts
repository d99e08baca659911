import { cellText, isEmptyCell, type Cell } from './cells.ts';
import type { Column } from './columns.ts';
import type { ImportWarning } from './plan-document.ts';
import { CONTINUES } from './layout-words.ts';

/**
 * Groups a table's cells into rows. Exports do not keep rows, only cells, and they
 * are not regular: a row may end with a stray empty cell, a row may have lost a cell,
 * and a second row may follow without a number (3.1's shadowing programme). So rows
 * are anchored on the cell that carries the row's number, wherever the number column
 * sits in the header, and anything left over is either a numberless row of its own
 * (when it has the header's shape) or reported.
 */
export interface Row {
  /** The row's cells in header order; a missing cell is undefined. */
  cells: (Cell | undefined)[];
  line: number;
  /** True when the number cell is empty: the caller names the row and warns. */
  unnumbered: boolean;
  /** Spanning rows and paragraphs after the row that belong to its action: updates, a merge into another action, notes. */
  continuation?: Cell[] | undefined;
}

/**
 * An action number: "1.3", "R2", "1a", and lettered or roman sub-actions as trusts write them ("1.a", "4.1 a)", "4(i)"),
 * or a recommendation's with its word ("Rec 3", "Recommendation 3", "Rec no. 3"). No `i` flag: "R2" is a number, "Ab 2" not.
 */
export const ROW_REF =
  /^(?:(?:Rec|REC|rec)(?:ommendation|OMMENDATION)?\.?\s*(?:(?:no|No|NO)\.?\s*)?|[A-Z]{1,3}\s?)?\d{1,3}(?:\.(?:\d{1,3}|[a-z]))*(?:[a-z]|\s?\((?:[a-z]|[ivx]{1,4})\)|\s?(?:[a-z]|[ivx]{1,4})\))?\.?$/;
/** A recommendation cell that opens with its number: "1.To improve", "2. Trust clinical", "R3: Our team". */
export const NUMBERED_TEXT = /^\s*(?:(?:recommendation|rec\.?)\s*)?(R?\d{1,3}(?:\.\d{1,3})*)\s*[.):\-–]?\s*(?=\S)/i;

/**
 * A number cell's ref: as written, without its spaces or a closing point ("4.1 a)" → "4.1a)", "Rec 3" → "Rec3"). The word
 * is kept: a plan imported before stays matched by its refs, so a later version (or the same file again) adds no second
 * recommendation under "3" beside its "Rec3".
 */
export const refOf = (text: string): string => text.replace(/\.$/, '').replace(/\s+/g, '');

const firstLine = (cell: Cell) => cellText(cell).split('\n')[0] ?? '';

export const groupRows = (cells: Cell[], columns: Column[], warnings: ImportWarning[]): Row[] => {
  const width = columns.length;
  const refIndex = columns.findIndex((c) => c.role === 'ref');
  const recIndex = columns.findIndex((c) => c.role === 'recommendation');
  const anchorIndex = refIndex >= 0 ? refIndex : recIndex;
  const isAnchor = (cell: Cell) =>
    refIndex >= 0 ? ROW_REF.test(cellText(cell)) : recIndex >= 0 ? NUMBERED_TEXT.test(firstLine(cell)) : false;

  // Without a number column or numbered recommendations, rows can only be counted off.
  if (anchorIndex < 0) {
    const rows: Row[] = [];
    for (let i = 0; i < cells.length; i += width) {
      const slice = cells.slice(i, i + width);
      if (slice.every(isEmptyCell)) continue;
      rows.push({ cells: columns.map((_, c) => slice[c]), line: slice[0]!.line, unnumbered: true });
    }
    return rows;
  }

  const anchors: number[] = [];
  cells.forEach((cell, i) => {
    if (i >= anchorIndex && isAnchor(cell) && (anchors.length === 0 || i - anchors.at(-1)! >= 2)) anchors.push(i);
  });
  const rows: Row[] = [];
  // Cells before the first row (all of them, when no row number is found) are reported or read as numberless rows.
  const leading = cells.slice(0, anchors.length > 0 ? anchors[0]! - anchorIndex : cells.length).filter((c) => !isEmptyCell(c));
  reportLeftovers(leading, width, columns, anchorIndex, rows, warnings);
  anchors.forEach((anchor, n) => {
    const start = anchor - anchorIndex;
    const end = (anchors[n + 1] ?? cells.length + anchorIndex) - anchorIndex;
    const own = cells.slice(start, Math.min(end, start + width));
    rows.push({ cells: columns.map((_, c) => own[c]), line: cells[anchor]!.line, unnumbered: false });
    if (own.length < width)
      warnings.push({
        code: 'row-short',
        line: cells[anchor]!.line,
        message: `row ${cellText(cells[anchor]!)} has ${own.length} of the header's ${width} cells; the ${columns
          .slice(own.length)
          .map((c) => c.label)
          .join(', ')} cell(s) are missing`,
      });
    reportLeftovers(cells.slice(start + width, end), width, columns, anchorIndex, rows, warnings);
  });
  return rows;
};

/** Cells after a full row: stray empty cells are dropped; a row-shaped run is a numberless row; the rest is reported. */
const reportLeftovers = (extra: Cell[], width: number, columns: Column[], anchorIndex: number, rows: Row[], warnings: ImportWarning[]) => {
  let rest = [...extra];
  while (rest.length > 0 && isEmptyCell(rest.at(-1)!)) rest.pop();
  while (rest.some((c) => !isEmptyCell(c))) {
    if (rest.length >= width && isEmptyCell(rest[anchorIndex]!)) {
      rows.push({ cells: columns.map((_, c) => rest[c]), line: rest.find((c) => !isEmptyCell(c))!.line, unnumbered: true });
      rest = rest.slice(width);
    } else if (rest.length === width - 1 && !isEmptyCell(rest[0]!)) {
      const cellsWithGap = [...rest.slice(0, anchorIndex), undefined, ...rest.slice(anchorIndex)];
      rows.push({ cells: cellsWithGap, line: rest[0]!.line, unnumbered: true });
      rest = [];
    } else if (isEmptyCell(rest[0]!)) {
      rest = rest.slice(1);
    } else if (
      rows.length > 0 &&
      rest.filter((c) => !isEmptyCell(c)).length === 1 &&
      CONTINUES.test(cellText(rest.find((c) => !isEmptyCell(c))!))
    ) {
      // One cell after a row that reads as an update or a note: a row spanning the table, which belongs to the action above.
      (rows.at(-1)!.continuation ??= []).push(rest.find((c) => !isEmptyCell(c))!);
      rest = [];
    } else {
      const stray = rest.filter((c) => !isEmptyCell(c));
      for (const cell of stray)
        warnings.push({
          code: 'cell-outside-row',
          line: cell.line,
          message: `a cell that fits no row of the table was not imported: "${cellText(cell).slice(0, 120)}"`,
        });
      rest = [];
    }
  }
};
