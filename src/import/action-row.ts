import type { Due } from '../../events/business-date.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import { cellText, isEmptyCell, paragraphs, type Cell, type Line } from './cells.ts';
import type { Column } from './columns.ts';
import { splitLedBy, type LedBy } from './led-by.ts';
import type { ImportWarning } from './plan-document.ts';
import { NUMBERED_TEXT, refOf, type Row } from './table-rows.ts';
import { readCellContent } from './update-paragraphs.ts';
import { marksOf, mergeMarks, readDueCells, readStatusCell, type Marks } from './row-marks.ts';
import { readRowRatings, type ColumnRating, type RatedUpdate } from './rating-columns.ts';

/** One table row read into what the plan says about one action, before dates are settled. */
export interface RawAction {
  ref: string;
  line: number;
  text: string;
  due: Due;
  revisions: { to: Due; reason: string; line: number }[];
  ledByWording?: string | undefined;
  ledBy: LedBy;
  outcomes: string[];
  updates: RatedUpdate[];
  completeLine?: number | undefined;
  completeDate?: string | undefined;
  completeSummary?: string | undefined;
  withdrawnLine?: number | undefined;
  withdrawnReason?: string | undefined;
  /** The first line of every cell the row's action was read from: what the preview lists as its source. */
  sourceLines: number[];
  /** False when the table has no number column: the caller numbers the row from its recommendation. */
  numbered: boolean;
  rag?: { rating: string; line: number } | undefined;
  recommendation?: { ref: string; text: string; line: number } | undefined;
}

/** The ledger keeps up to 50 outcomes per action; a longer list keeps its tail in the 50th, so nothing is lost. */
const capped = (items: string[], max = 50): string[] =>
  items.length <= max ? items : [...items.slice(0, max - 1), items.slice(max - 1).join('\n')];

const linesOf = (cell: Cell | undefined): Line[] => cell?.lines ?? [];

/** Outcomes are paragraphs, and bulleted lines within them are separate outcomes. */
const readOutcomes = (lines: Line[]): string[] =>
  paragraphs(lines)
    .flatMap((p) => p.text.split(/\n(?=\s*[·•▪●\-*]\s)/))
    .map((t) => t.replace(/^\s*[·•▪●\-*]\s+/, '').trim())
    .filter(Boolean);

/** Roles read once per row: a second column with the same role is reported like an unknown one, never silently dropped. */
const ONE_PER_ROW = new Set<Column['role']>(['ref', 'action', 'start', 'timescale', 'lead']);
const BARE_NUMBER = /^\s*(?:(?:recommendation|rec)\.?\s*(?:no\.?\s*)?)?(R?\d{1,3}(?:\.\d{1,3})*)\.?\s*$/i;

export const readActionRow = (
  row: Row & { item?: number; sharedRef?: boolean },
  columns: Column[],
  directory: OrganisationDirectory,
  warnings: ImportWarning[],
): RawAction => {
  const roleAt = (i: number): Column['role'] =>
    ONE_PER_ROW.has(columns[i]!.role) && columns.findIndex((c) => c.role === columns[i]!.role) !== i ? 'unknown' : columns[i]!.role;
  const cellOf = (role: Column['role']) => row.cells[columns.findIndex((c) => c.role === role)];
  const sourceLines = new Set<number>();
  const use = (cell: Cell | undefined) => cell && !isEmptyCell(cell) && sourceLines.add(cell.line);
  const refCell = cellOf('ref');
  let ref = row.unnumbered || !refCell ? '' : refOf(cellText(refCell));
  if (ref && row.item !== undefined && row.sharedRef) ref = `${ref}.${row.item}`;
  for (const role of ['ref', 'action', 'start', 'timescale', 'lead'] as const) use(cellOf(role));
  const actionContent = readCellContent(linesOf(cellOf('action')), false, warnings);
  const actionParts = paragraphs(actionContent.body);
  const updates: RawAction['updates'] = [...actionContent.updates];
  const marks: Marks = marksOf(actionContent);
  let outcomes: string[] = [];
  const ratings: ColumnRating[] = [];
  const recommendationTexts: { text: string; line: number }[] = [];
  columns.forEach((column, i) => {
    const cell = row.cells[i];
    const role = roleAt(i);
    if (!cell || isEmptyCell(cell) || (ONE_PER_ROW.has(role) && role !== 'unknown')) return;
    if (role === 'unknown') {
      warnings.push({
        code: 'unknown-column',
        line: cell.line,
        message: `the ${column.label ? `"${column.label}"` : 'unheaded'} column is not imported: "${cellText(cell).slice(0, 120)}"`,
      });
      return;
    }
    use(cell);
    if (role === 'rag') {
      const rating = readStatusCell(cell, column, updates, marks, warnings);
      if (rating) ratings.push({ ...rating, label: column.label, date: column.date });
      return;
    }
    if (role === 'evidence') {
      for (const p of paragraphs(cell.lines))
        updates.push({ line: p.line, date: column.date, narrative: `Evidence: ${p.text}`, column: column.label });
      return;
    }
    const content = readCellContent(cell.lines, role === 'progress', warnings);
    mergeMarks(marks, content);
    updates.push(...content.updates.map((u) => ({ ...u, date: u.date ?? column.date, column: column.label, columnDate: column.date })));
    const body = content.body
      .map((l) => l.text)
      .join('\n')
      .trim();
    if (role === 'outcomes') outcomes = capped(readOutcomes(content.body));
    else if (role === 'recommendation' && body) recommendationTexts.push({ text: body, line: cell.line });
  });
  // Spanning rows and paragraphs after the row: updates, a merge into another action, a note.
  for (const cell of row.continuation ?? []) {
    use(cell);
    const content = readCellContent(cell.lines, true, warnings);
    mergeMarks(marks, content);
    updates.push(...content.updates);
  }
  // The rating history goes first: it is dated, and an undated update takes the date of the next dated one after it.
  const { rag, history, notes } = readRowRatings(
    ratings,
    `action ${ref || 'without a number'}`,
    warnings,
    columns.filter((c) => c.role === 'rag' && c.date !== undefined).length,
  );
  updates.unshift(...history);
  updates.push(...notes);
  const recommendation = readRecommendationCells(recommendationTexts, warnings);
  const timescale = readDueCells(cellOf('start'), cellOf('timescale'), actionParts.length, ref || 'without a number', warnings);
  const ledByWording = cellText(cellOf('lead') ?? { kind: 'cell', line: 0, lines: [], inTable: true })
    .replace(/\s+/g, ' ')
    .trim();
  return {
    ref,
    line: row.line,
    text: actionParts.map((p) => p.text).join('\n\n'),
    due: timescale.due,
    revisions: timescale.revisions,
    ledByWording: ledByWording || undefined,
    ledBy: ledByWording ? splitLedBy(ledByWording, directory) : { leads: [], partners: [], aliases: [] },
    outcomes,
    updates,
    ...marks,
    numbered: columns.some((c) => c.role === 'ref'),
    rag,
    recommendation,
    sourceLines: [...sourceLines],
  };
};

/** One or more recommendation cells ("Rec no." and "Recommendation"): its number, then its text. */
const readRecommendationCells = (cells: { text: string; line: number }[], warnings: ImportWarning[]): RawAction['recommendation'] => {
  if (cells.length === 0) return undefined;
  const body = cells.map((c) => c.text).join(' ');
  const line = cells[0]!.line;
  const bare = BARE_NUMBER.exec(cells[0]!.text);
  if (bare)
    return {
      ref: bare[1]!,
      text: cells
        .slice(1)
        .map((c) => c.text)
        .join('\n')
        .trim(),
      line,
    };
  const numbered = NUMBERED_TEXT.exec(body);
  if (numbered) return { ref: numbered[1]!, text: body.slice(numbered[0].length).trim(), line };
  warnings.push({
    code: 'recommendation-unnumbered',
    line,
    message: `the recommendation cell has no number, so the action cannot be linked to it: "${body.slice(0, 80)}"`,
  });
  return undefined;
};
