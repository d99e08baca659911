import type { Due } from '../../events/business-date.ts';
import { cellText, paragraphs, type Cell } from './cells.ts';
import type { ImportWarning } from './plan-document.ts';
import { readStatus } from './status-words.ts';
import { readTimescaleCell } from './timescale-cell.ts';
import { readTimescale } from './timescale.ts';
import type { RawUpdate } from './update-paragraphs.ts';

/**
 * What a row says about how its action stands, from whichever cell says it: a COMPLETE
 * marker or a status cell ("Complete – policy ratified 12/03/2019"), WITHDRAWN, and a
 * reported rating. The first cell that marks a completion or withdrawal wins.
 */
export interface Marks {
  completeLine?: number | undefined;
  /** The date the marker gives ("COMPLETED – August 2017"), if any. */
  completeDate?: string | undefined;
  /** The marker's own words when it says more than "COMPLETE". */
  completeSummary?: string | undefined;
  withdrawnLine?: number | undefined;
  withdrawnReason?: string | undefined;
}

export const marksOf = (m: Marks): Marks => ({
  completeLine: m.completeLine,
  completeDate: m.completeDate,
  completeSummary: m.completeSummary,
  withdrawnLine: m.withdrawnLine,
  withdrawnReason: m.withdrawnReason,
});

export const mergeMarks = (into: Marks, from: Marks) => {
  if (into.completeLine === undefined && from.completeLine !== undefined)
    Object.assign(into, { completeLine: from.completeLine, completeDate: from.completeDate, completeSummary: from.completeSummary });
  if (into.withdrawnLine === undefined && from.withdrawnLine !== undefined)
    Object.assign(into, { withdrawnLine: from.withdrawnLine, withdrawnReason: from.withdrawnReason });
};

/**
 * A RAG or Status cell: a colour or a word of progress is the reported rating; "Complete"
 * and "Withdrawn" (with any detail and date) close the action; anything longer is a
 * narrative and is kept as an update, never squeezed into a rating.
 */
export const readStatusCell = (
  cell: Cell,
  column: { date?: string | undefined; label: string },
  updates: RawUpdate[],
  marks: Marks,
  warnings: ImportWarning[],
): { rating: string; line: number } | undefined => {
  const [first = '', ...rest] = cellText(cell).split('\n');
  const status = readStatus(first);
  const restLines = cell.lines.filter((l) => l.text.trim() !== '').slice(1);
  const narrative = (lines: typeof cell.lines) => {
    for (const p of paragraphs(lines)) updates.push({ line: p.line, date: column.date, narrative: p.text, column: column.label });
  };
  if (!status) {
    narrative(cell.lines);
    return undefined;
  }
  if (rest.length > 0) narrative(restLines);
  if (status.kind === 'reported') return { rating: status.rating, line: cell.line };
  if (status.kind === 'withdrawn') {
    mergeMarks(marks, { withdrawnLine: cell.line, withdrawnReason: status.detail ? `Withdrawn: ${status.detail}` : undefined });
    return undefined;
  }
  if (status.date?.kind === 'impossible')
    warnings.push({
      code: 'impossible-date',
      line: cell.line,
      message: `"${status.wording}": ${status.date.wording} is not a real date; the completion is dated by the document's date instead`,
    });
  mergeMarks(marks, {
    completeLine: cell.line,
    completeDate: status.date?.kind === 'date' ? status.date.date : undefined,
    completeSummary: status.detail ? `Marked complete in the plan: ${status.detail}` : undefined,
  });
  return undefined;
};

/**
 * The due date from a Timescale (or End, Finish) cell, and a Start cell beside it: the
 * action is due at the finish, and the start stays in the wording ("April 2016 – March
 * 2017"), since an agreed action has no start date of its own in the ledger.
 */
export const readDueCells = (
  start: Cell | undefined,
  finish: Cell | undefined,
  actionParts: number,
  ref: string,
  warnings: ImportWarning[],
): { due: Due; revisions: { to: Due; reason: string; line: number }[] } => {
  const startText = start ? cellText(start).replace(/\s+/g, ' ') : '';
  const reading = readTimescaleCell(finish?.lines ?? [], actionParts, ref, startText ? [] : warnings);
  if (!startText) return reading;
  const started = readTimescale(startText);
  if (started.warning?.code === 'impossible-date')
    warnings.push({ code: 'impossible-date', line: start!.line, message: `action ${ref}: start ${started.warning.message}` });
  if (!finish || cellText(finish) === '') {
    warnings.push({
      code: 'start-without-finish',
      line: start!.line,
      message: `action ${ref} gives a start ("${startText}") but no finish; recorded as undated, with the start in the wording`,
    });
    return { due: { kind: 'undated', wording: `Start ${startText}` }, revisions: [] };
  }
  const withWarnings = readTimescaleCell(finish.lines, actionParts, ref, warnings);
  const finishWording = withWarnings.due.wording ?? (withWarnings.due.kind === 'date' ? withWarnings.due.date : withWarnings.due.kind);
  return { ...withWarnings, due: { ...withWarnings.due, wording: `${startText} – ${finishWording}`.slice(0, 500) } as Due };
};
