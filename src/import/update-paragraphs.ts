import { paragraphs, type Line } from './cells.ts';
import { ambiguousDatePrefix, findDate, readDate } from './dates.ts';
import { readUpdateOpening } from './update-opening.ts';
import type { ImportWarning } from './plan-document.ts';

/**
 * The text of a cell, taken apart into what the plan said and what was reported on it:
 * - a line "UPDATE" (or "Update:", "Progress:") starts the updates: everything after it
 *   in the cell is progress, not the action's wording;
 * - each paragraph opening with a date ("AUG 2017 …", "15/08/22 …", "Q2 2018/19: …") starts a dated update;
 *   paragraphs before the first date form one undated update (dated later by the caller's
 *   rule); paragraphs after a dated one continue it (a link on the next line, a list);
 * - a line "COMPLETE" / "COMPLETED" marks the action complete; "WITHDRAWN" withdrawn.
 */
export interface RawUpdate {
  line: number;
  /** Undefined when the paragraph had no date: the caller applies the documented rule. */
  date?: string | undefined;
  /** "Q3 2018/19" when the date is a quarter's last month: named with its end where the caller holds it to the document's date. */
  period?: string | undefined;
  /** The date as the paragraph opened with it ("March 2019"): named when the caller holds it to the document's date. */
  written?: string | undefined;
  /** The words the date took from the paragraph's start ("June 12 – "): given back should the date be set aside. */
  opening?: string | undefined;
  /** The heading of the column it was read from; with no date of its own (`written`), the heading's date dated it. */
  column?: string | undefined;
  /** The date that heading gives ("Progress update 15/08/17"): the update's should its own be set aside. */
  columnDate?: string | undefined;
  narrative: string;
}

export interface CellContent {
  /** Lines before any UPDATE marker, markers removed. */
  body: Line[];
  updates: RawUpdate[];
  completeLine?: number | undefined;
  /** "COMPLETED – August 2017": the date the marker gives, if any. */
  completeDate?: string | undefined;
  /** "Complete – policy ratified 12/03/2019": the marker's words when they say more than a date. */
  completeSummary?: string | undefined;
  withdrawnLine?: number | undefined;
  withdrawnReason?: string | undefined;
}

const UPDATE_MARKER = /^\s*(?:updates?|progress(?: update)?|latest update)\b\s*[:\-–]?\s*(.*)$/i;
const COMPLETE = /^\s*(?:action\s+)?(?:complete|completed|closed)\s*[.!]?\s*(?:[-–—:(]\s*(?:on\s+)?([^)]{3,200}?)\)?\s*)?$/i;
const WITHDRAWN = /^\s*(?:action\s+)?withdrawn\s*[.!]?\s*(?:[-–—:(]\s*([^)]{3,200}?)\)?\s*)?$/i;

export const readCellContent = (lines: Line[], allUpdates: boolean, warnings: ImportWarning[]): CellContent => {
  const body: Line[] = [];
  const updateLines: Line[] = [];
  let inUpdates = allUpdates;
  let completeLine: number | undefined;
  let completeDate: string | undefined;
  let completeSummary: string | undefined;
  let withdrawnLine: number | undefined;
  let withdrawnReason: string | undefined;
  for (const line of lines) {
    const complete = COMPLETE.exec(line.text);
    if (complete) {
      const detail = complete[1]?.trim();
      const reading = detail ? (readDate(detail) ?? findDate(detail)) : undefined;
      if (reading?.kind === 'impossible')
        warnings.push({
          code: 'impossible-date',
          line: line.n,
          message: `"${line.text.trim()}": ${reading.wording} is not a real date; the completion is dated by the document's date instead`,
        });
      else if (detail && !reading && detail.length <= 30 && /\d/.test(detail))
        warnings.push({
          code: 'completion-date-not-understood',
          line: line.n,
          message: `"${line.text.trim()}": the completion date is not one the importer can read; the document's date is used`,
        });
      completeLine = line.n;
      completeDate = reading?.kind === 'date' ? reading.date : undefined;
      completeSummary = detail && readDate(detail) === undefined ? `Marked complete in the plan: ${detail}` : undefined;
      continue;
    }
    const withdrawn = WITHDRAWN.exec(line.text);
    if (withdrawn) {
      withdrawnLine = line.n;
      withdrawnReason = withdrawn[1] ? `Withdrawn: ${withdrawn[1].trim()}` : undefined;
      continue;
    }
    const marker = UPDATE_MARKER.exec(line.text);
    if (!inUpdates && marker && (marker[1] === '' || /^update/i.test(line.text.trim()))) {
      inUpdates = true;
      if (marker[1]) updateLines.push({ n: line.n, text: marker[1] });
      continue;
    }
    (inUpdates ? updateLines : body).push(line);
  }
  return {
    body,
    updates: splitUpdates(updateLines, warnings),
    completeLine,
    completeDate,
    completeSummary,
    withdrawnLine,
    withdrawnReason,
  };
};

export const splitUpdates = (lines: Line[], warnings: ImportWarning[]): RawUpdate[] => {
  const updates: RawUpdate[] = [];
  let current: RawUpdate | undefined;
  // A line that opens with a date starts an update of its own even without a blank line before it:
  // Word's text export writes a cell's paragraphs on consecutive lines. So does one opening with a date
  // that reads two ways or does not exist, so that it is warned about as a paragraph of its own is, not
  // read into the update above it under that update's date.
  const opensWithDate = (text: string) => readUpdateOpening(text) !== undefined || ambiguousDatePrefix(text) !== undefined;
  const apart = lines.flatMap((line, i) =>
    i > 0 && lines[i - 1]!.text.trim() !== '' && opensWithDate(line.text) ? [{ n: line.n, text: '' }, line] : [line],
  );
  for (const p of paragraphs(apart)) {
    const dated = readUpdateOpening(p.text, p.line, warnings);
    if (dated?.reading.kind === 'impossible')
      warnings.push({
        code: 'impossible-date',
        line: p.line,
        message: `update dated "${dated.reading.wording}", which is not a real date; treated as undated`,
      });
    if (dated?.reading.kind === 'date' && dated.rest.trim() !== '') {
      // The rest is the end of the paragraph, so what comes before it is the opening as written.
      const [whole, rest] = [p.text.trim(), dated.rest.trim()];
      current = {
        line: p.line,
        date: dated.reading.date,
        narrative: rest,
        written: dated.written,
        opening: whole.slice(0, whole.length - rest.length),
        ...(dated.period ? { period: dated.period } : {}),
      };
      updates.push(current);
    } else if (current) {
      current.narrative += `\n\n${p.text}`;
    } else {
      current = { line: p.line, narrative: p.text };
      updates.push(current);
    }
    // An undated paragraph after an undated one belongs to it; after a dated one, to that.
  }
  return updates;
};
