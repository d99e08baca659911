import type { Due } from '../../events/business-date.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import { cellText, joinLines } from './cells.ts';
import type { Column } from './columns.ts';
import { splitLedBy } from './led-by.ts';
import type { ImportWarning } from './plan-document.ts';
import { NUMBERED_TEXT, refOf, type Row } from './table-rows.ts';
import { readTimescale } from './timescale.ts';
import { readRowRatings, type ColumnRating, type RatedUpdate } from './rating-columns.ts';

/**
 * A row of a recommendation / progress-update table ("Recommendation | Progress
 * Update 15/08/22"). The recommendation's number opens its text ("1.To improve …").
 * A progress cell is one narrative, dated by its column header. A deadline the
 * recommendation sets in its own words is kept: a date when it names one ("by March
 * 2023"), otherwise its wording ("within six months": the investigation report's date,
 * which it counts from, is not in the document), with a warning.
 */
export interface RawRecommendation {
  ref: string;
  line: number;
  text: string;
  due?: Due | undefined;
  addressedTo: string[];
  updates: RatedUpdate[];
  rag?: { rating: string; line: number } | undefined;
}

const RELATIVE =
  /\b(within|in the next|no later than)\s+((?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four)\s+(?:days?|weeks?|months?|years?))\b/i;
const ABSOLUTE = /\bby\s+(?:the\s+end\s+of\s+)?((?:\d{1,2}\s+)?[A-Z][a-z]+\.?\s+\d{4}|\d{1,2}\/\d{1,2}\/\d{2,4})\b/;

const readDeadline = (text: string, ref: string, line: number, warnings: ImportWarning[]): Due | undefined => {
  const absolute = ABSOLUTE.exec(text);
  if (absolute) {
    const reading = readTimescale(absolute[1]!);
    if (reading.due.kind === 'date') return { ...reading.due, wording: absolute[0] };
  }
  const relative = RELATIVE.exec(text);
  if (!relative) return undefined;
  warnings.push({
    code: 'relative-deadline',
    line,
    message:
      `recommendation ${ref} sets a deadline "${relative[0]}" counted from a date the document does not give; ` +
      `recorded as undated with its wording`,
  });
  return { kind: 'undated', wording: relative[0] };
};

export const readRecommendationRow = (
  row: Row,
  columns: Column[],
  directory: OrganisationDirectory,
  warnings: ImportWarning[],
): RawRecommendation => {
  let ref = '';
  let text = '';
  let due: Due | undefined;
  const addressedTo: string[] = [];
  const updates: RatedUpdate[] = [];
  const ratings: ColumnRating[] = [];
  let timescaleWarning: ImportWarning | undefined;
  columns.forEach((column, i) => {
    const cell = row.cells[i];
    const body = cell ? joinLines(cellText(cell).split('\n')) : '';
    if (!cell || body === '') return;
    switch (column.role) {
      case 'recommendation': {
        // With a number column the text is the text, even when it opens with a figure ("28 days after …").
        const numbered = columns.some((c) => c.role === 'ref') ? null : NUMBERED_TEXT.exec(body);
        if (!columns.some((c) => c.role === 'ref')) ref = numbered ? numbered[1]!.replace(/\.$/, '').replace(/\s+/g, '') : '';
        text = numbered ? body.slice(numbered[0].length).trim() : body;
        return;
      }
      case 'ref':
        ref = refOf(body);
        return;
      case 'progress':
        updates.push({ line: cell.line, date: column.date, narrative: body, column: column.label });
        return;
      case 'timescale': {
        // Read and reported as an action's timescale is; the warning waits for the row's number, which may come later.
        const reading = readTimescale(body);
        due = reading.due;
        if (reading.warning) timescaleWarning = { code: reading.warning.code, line: cell.line, message: reading.warning.message };
        return;
      }
      case 'lead':
        addressedTo.push(...splitLedBy(body, directory).leads);
        return;
      case 'rag':
        ratings.push({ rating: body.split('\n')[0]!.trim(), line: cell.line, label: column.label, date: column.date });
        return;
      default:
        warnings.push({
          code: 'unknown-column',
          line: cell.line,
          message: `the "${column.label}" column is not imported here: "${body.slice(0, 120)}"`,
        });
    }
  });
  if (timescaleWarning) warnings.push({ ...timescaleWarning, message: `recommendation ${ref || '?'}: ${timescaleWarning.message}` });
  due ??= readDeadline(text, ref || '?', row.line, warnings);
  // As an action's: a RAG column per period is the recommendation's rating history (rating-columns.ts).
  const { rag, history, notes } = readRowRatings(
    ratings,
    `recommendation ${ref || '?'}`,
    warnings,
    columns.filter((c) => c.role === 'rag' && c.date !== undefined).length,
  );
  return { ref, line: row.line, text, due, addressedTo, updates: [...history, ...updates, ...notes], rag };
};
