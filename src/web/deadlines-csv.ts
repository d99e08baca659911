import { attachmentDisposition } from '../http/attachment-disposition.ts';
import { stringify } from 'csv-stringify/sync';
import type { deadlineReport } from '../../projections/plan-status/deadline-report.ts';
import { due } from '../presentation/format.ts';

type DeadlineReport = ReturnType<typeof deadlineReport>;

/**
 * The clocks a CSV was read at. `asOf` is always an exact instant (ISO 8601, UTC): the one asked
 * for, or the moment of the read for today's ledger, so a saved file says which state of the
 * ledger it holds. `asOfDay` is the day asked for, when a day was: the end of that London day.
 */
export type CsvClocks = { asOf: string; asOfDay?: string | undefined; effectiveOn?: string | undefined };

/**
 * The columns: the report's own first, then the period, the organisation it was limited to (as
 * lead; empty for every organisation) and the clocks on every row, which a
 * spreadsheet filters and a script reads like any other column. A line above the header would
 * say the same but breaks CSV readers and a board tool's import, which take the first line as
 * the header. An empty report is its header alone: its file name still names the clocks.
 */
const COLUMNS = [
  'plan_id',
  'plan',
  'action',
  'text',
  'lead',
  'outcome',
  'original_deadline',
  'current_deadline',
  'completed_on',
  'closed_as',
  'closed_on',
  'closed_after_deadline',
  'closure_recorded_after_deadline',
  'revisions',
  'period_from',
  'period_to',
  'organisation',
  'as_of',
  'effective_on',
] as const;

export const deadlinesCsv = (report: DeadlineReport, clocks: CsvClocks): string =>
  stringify(
    report.actions.map((a) => ({
      // The id as well as the title: two plans may share a title, and a script joins on the id.
      plan_id: a.planId,
      plan: a.planTitle,
      action: a.ref,
      text: a.text,
      lead: a.leadOrganisations.join('; '),
      outcome: a.outcome,
      original_deadline: due(a.originalDue),
      current_deadline: due(a.currentDue),
      completed_on: a.completedOn ?? '',
      // Subsumed or withdrawn: when, and whether its deadline had passed unmet by then.
      closed_as: a.closedOn ? a.status : '',
      closed_on: a.closedOn ?? '',
      closed_after_deadline: a.closedAfterDeadline ? 'yes' : a.closedOn ? 'no' : '',
      // Completed, subsumed or withdrawn by an entry recorded after the deadline the ledger showed had passed, whatever its date.
      closure_recorded_after_deadline: a.closureRecordedAfterDeadline ? 'yes' : a.completedOn || a.closedOn ? 'no' : '',
      revisions: a.revisions
        .map(
          (r) =>
            `${r.effectiveOn}: ${due(r.deadlineInForce)} -> ${due(r.to)} because ${r.reason}` +
            (r.agreedBy ? ` (agreed by ${r.agreedBy})` : '') +
            `; recorded ${r.recordedAt} by ${r.recordedBy}` +
            (r.agreedAfterDeadline ? '; agreed after the deadline had passed' : '') +
            (!r.agreedAfterDeadline && r.deadlineShown
              ? `; recorded after the deadline had passed (the ledger showed ${due(r.deadlineShown)})`
              : ''),
        )
        .join(' | '),
      period_from: report.from,
      period_to: report.to,
      organisation: report.organisation ?? '',
      as_of: clocks.asOf,
      // Empty when not limited: what is true as the ledger knew it at as_of, as the API's null.
      effective_on: clocks.effectiveOn ?? '',
    })),
    {
      // A cell starting =, +, - or @ would run as a formula in a spreadsheet: it is kept as text.
      cast: { string: (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) },
      header: true,
      columns: [...COLUMNS],
    },
  );

/**
 * An organisation's name as a part of a file name: its letters (accented ones as written: "Société", "Ørsted") and digits,
 * the rest as single hyphens. The header gives such a name as RFC 6266's UTF-8 filename* (csvDisposition).
 */
const namePart = (organisation: string) =>
  organisation
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');

/**
 * The file's name: the period, the organisation it was limited to, and the ledger time to the millisecond in UTC (colons, which
 * Windows and macOS refuse in names, as hyphens; a whole second without its `.000`), so two
 * downloads at different moments of one day are two names. A day asked for stays that day: it
 * names one instant, the end of that London day.
 */
export const deadlinesCsvName = (period: { from: string; to: string; organisation?: string | null }, clocks: CsvClocks): string => {
  const lead = period.organisation ? namePart(period.organisation) : '';
  const asOf = clocks.asOfDay ?? clocks.asOf.replace(/\.000Z$/, 'Z').replaceAll(':', '-');
  const trueOn = clocks.effectiveOn ? `-true-on-${clocks.effectiveOn}` : '';
  return `deadlines-${period.from}-to-${period.to}${lead ? `-for-${lead}` : ''}-as-of-${asOf}${trueOn}.csv`;
};

/** The CSV's Content-Disposition: its name in UTF-8, and in ASCII for a client that reads only `filename`. */
export const csvDisposition = (name: string): string => attachmentDisposition(name);
