import type { ComputedStatus } from '../../projections/plan-status/action-view.ts';
import type { ActionStatus } from '../domain/action-status.ts';
import { dueText, fieldWords } from '../../projections/timeline/describe.ts';
import { businessDate, onOrIn } from '../../projections/timeline/date-words.ts';

/** Dates and statuses as people read them on the pages: "March 2017", "3 March 2017 at 14:05", "in March 2017". */
export { businessDate, onOrIn };

const DAY_AND_TIME_IN_LONDON = {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
} as const;
const londonTime = new Intl.DateTimeFormat('en-GB', { ...DAY_AND_TIME_IN_LONDON, timeZoneName: 'short' });

/**
 * A date's parts in London, its year in four digits as a business date's is ("1 January 0099"): Intl writes the
 * year 99 as "99", which reads as 1999 beside an `asOf` the pages take from the year 1.
 */
const partsOf = (format: Intl.DateTimeFormat, date: Date): Record<string, string> => {
  const parts: Record<string, string> = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  return { ...parts, year: (parts.year ?? '').padStart(4, '0') };
};

/**
 * An instant in London's time, the ledger's calendar, with the zone it was in, "20 October 2015 at
 * 10:30 BST": beside the API's and the CSV's UTC ("09:30:04Z") the two are seen to agree, and the
 * hour that happens twice when the clocks go back reads as two hours (01:30 BST, then 01:30 GMT).
 */
export const instant = (value: unknown): string => {
  if (typeof value !== 'string') return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const parts = partsOf(londonTime, date);
  return `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
};

const londonExact = new Intl.DateTimeFormat('en-GB', { ...DAY_AND_TIME_IN_LONDON, second: '2-digit', timeZoneName: 'short' });

/**
 * An instant to the second (and millisecond, when it has one) with London's zone, "25 October 2026
 * at 01:30:05 BST": what a page read at an exact ledger time names, as two instants a second apart,
 * or in the hour that happens twice when the clocks go back, can show different ledgers.
 */
export const exactInstant = (value: string): string => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const parts = partsOf(londonExact, date);
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`;
  return `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute}:${parts.second}${fraction} ${parts.timeZoneName}`;
};

/** A count as a sentence reads it, in the singular for one: "1 entry", "12 entries". */
export const counted = (value: unknown, one: string, many: string): string => `${String(value)} ${Number(value) === 1 ? one : many}`;

/** A count of days: "1 day", "12 days". */
export const days = (value: unknown): string => counted(value, 'day', 'days');

/** A deadline as the document said it, with the date it stands for ('' for none). */
export const due = (value: unknown): string => (value && typeof value === 'object' ? dueText(value) : '');

/** The ledger's own computed status in words, with the NHS.UK tag colour that carries it (never colour alone). */
export const computedStatus: Record<ComputedStatus, { text: string; colour: string }> = {
  'on-track': { text: 'On track', colour: 'green' },
  'due-soon': { text: 'Due within 30 days', colour: 'yellow' },
  overdue: { text: 'Overdue', colour: 'red' },
  ongoing: { text: 'Ongoing', colour: 'blue' },
  'no-deadline': { text: 'No dated deadline', colour: 'grey' },
  'completed-on-time': { text: 'Completed on time', colour: 'green' },
  'completed-late': { text: 'Completed late', colour: 'orange' },
  completed: { text: 'Completed', colour: 'green' },
  closed: { text: 'Closed (subsumed or withdrawn)', colour: 'grey' },
};
export const computedStatuses = Object.keys(computedStatus) as ComputedStatus[];

/** An action's status as the ledger records it (beside which the computed status above is the ledger's own reading). */
export const actionStatus: Record<ActionStatus, string> = {
  open: 'Open',
  inProgress: 'In progress',
  completed: 'Completed',
  subsumed: 'Subsumed',
  withdrawn: 'Withdrawn',
};

export const statusText = (value: unknown): string => computedStatus[value as ComputedStatus]?.text ?? String(value);
export const statusColour = (value: unknown): string => computedStatus[value as ComputedStatus]?.colour ?? 'grey';

/** Field names of events as words, for before → after tables (the audit trail's own words for them). */
export const fieldName = (value: unknown, type?: string): string => fieldWords(String(value), type);

/** Any value of a before → after change as short text. */
export const changeValue = (value: unknown): string => {
  if (value === null || value === undefined) return '(none)';
  if (Array.isArray(value)) return value.map(changeValue).join(', ');
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.kind === 'string') return due(v);
    // What a correction changes, as its fields in words: "Update: …; Completed on: …".
    const fields = Object.entries(v);
    return fields.length ? fields.map(([field, inner]) => `${fieldName(field)}: ${changeValue(inner)}`).join('; ') : '(none)';
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}(-\d{2})?$/.test(value)) return businessDate(value);
  return String(value);
};
