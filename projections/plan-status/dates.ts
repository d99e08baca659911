import { lastDayOf, type BusinessDate, type Due } from '../../events/business-date.ts';
import { recordedDay } from '../clocks/recorded-day.ts';

/**
 * Deadline arithmetic on London calendar days. A month-precision deadline ("October 2015")
 * is due on the last day of its month; "Ongoing" and "As per …" timescales have no due day,
 * so they are never overdue.
 *
 * A cross-plan report asks these of every deadline of every action (over a hundred thousand
 * of them), so dates are read as day numbers straight from their digits rather than through
 * Date: business dates and London days are validated YYYY-MM or YYYY-MM-DD strings before
 * they reach a view.
 */
const digit = (date: string, at: number) => date.charCodeAt(at) - 48;
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (year: number, month: number) => (month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!);

/** Days from 1970-01-01 to a day of the proleptic Gregorian calendar (the civil-from-days inverse, H. Hinnant). */
const civilDay = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
};

/** The day number of a business date's first day (a month's 1st; a day itself). */
export const firstDayNumber = (date: string): number => {
  const year = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  const month = digit(date, 5) * 10 + digit(date, 6);
  return civilDay(year, month, date.length === 7 ? 1 : digit(date, 8) * 10 + digit(date, 9));
};

/** The day number of a business date's last day (a month's last; a day itself). */
export const lastDayNumber = (date: string): number => {
  const year = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  const month = digit(date, 5) * 10 + digit(date, 6);
  return civilDay(year, month, date.length === 7 ? daysInMonth(year, month) : digit(date, 8) * 10 + digit(date, 9));
};

/**
 * A dated deadline's last day number, kept on the deadline object itself by a holder that reuses
 * its deadlines across reads (the history reader keeps each deadline value once: history-reader.ts).
 * A symbol, not enumerable: it is never serialised, copied or compared, and changes no answer. The
 * values a reader keeps are never changed (no view changes a line or what it names), so the
 * number never goes stale.
 */
const LAST_DAY = Symbol('last day number');
type KeptDue = Due & { [LAST_DAY]?: number };

/** Works a deadline value's last day number out once, if it is a dated deadline; any other value is left as it is. */
export const keepDueDay = (value: unknown): void => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const { kind, date } = value as { kind?: unknown; date?: unknown };
  if (kind !== 'date' || typeof date !== 'string' || !Object.isExtensible(value) || Object.hasOwn(value, LAST_DAY)) return;
  Object.defineProperty(value, LAST_DAY, { value: lastDayNumber(date) });
};

/** The day number of the last day work can be done and still meet the deadline, or undefined when the timescale is not a date. */
export const dueDayNumber = (due: Due): number | undefined =>
  due.kind === 'date' ? ((due as KeptDue)[LAST_DAY] ?? lastDayNumber(due.date)) : undefined;

export const daysBetween = (from: string, to: string): number => firstDayNumber(to) - firstDayNumber(from);

export const addDays = (day: string, days: number): string =>
  new Date((firstDayNumber(day) + days) * 86_400_000).toISOString().slice(0, 10);

/** The last day work can be done and still meet the deadline, or undefined when the timescale is not a date. */
export const dueDay = (due: Due): string | undefined => (due.kind === 'date' ? lastDayOf(due.date) : undefined);

/**
 * Whether something dated `effectiveOn` (a deadline revision, a closure) came after the deadline then
 * in force had passed: its first day after the deadline's last. A month-precision date ("2017-08")
 * counts from the month's first day, so only what is surely after the deadline is said to be.
 */
export const datedAfterDeadline = (effectiveOn: BusinessDate, deadlineInForce: Due): boolean => {
  const due = dueDayNumber(deadlineInForce);
  return due !== undefined && firstDayNumber(effectiveOn) > due;
};

/** Days a completion came after the last day of a deadline given as a day number (0 when on time). */
export const daysLateAfter = (completedOn: BusinessDate, due: number): number => Math.max(0, firstDayNumber(completedOn) - due);

/**
 * Days a completion came after a deadline (0 when on time). A completion given only as a
 * month is late only if the whole month is after the deadline: "completed October" meets
 * a deadline of 15 October, because the record cannot say otherwise.
 */
export const daysLate = (completedOn: BusinessDate, due: Due): number | undefined => {
  const day = dueDayNumber(due);
  return day === undefined ? undefined : daysLateAfter(completedOn, day);
};

/** How far the current deadline has moved from the original, in days (negative when brought forward). */
export const slippageDays = (original: Due, current: Due): number | undefined => {
  const from = dueDayNumber(original);
  const to = dueDayNumber(current);
  return from === undefined || to === undefined ? undefined : to - from;
};

/**
 * The calendar quarter holding a London day: January–March, April–June, July–September or
 * October–December (the same three-month blocks as the NHS financial year's Q4, Q1, Q2, Q3).
 * The deadline report's period when the board asks for none.
 */
export const quarterOf = (day: string): { from: string; to: string } => {
  const [year, month] = day.split('-').map(Number) as [number, number];
  const first = month - ((month - 1) % 3);
  // Four digits whatever the year: days and months compare as text.
  const monthOf = (m: number) => `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
  return { from: `${monthOf(first)}-01`, to: lastDayOf(monthOf(first + 2)) };
};

/**
 * Whether a deadline revision recorded at `recordedAt` came after the last day of the deadline the ledger showed when it
 * was recorded (`shown`: the revision's own `from`, as the action then stood, corrections recorded by then included),
 * the ledger having shown that deadline by that day (`onLedgerSince`: when it came onto the ledger). So the ledger
 * showed the deadline pass unmet, and the revision came after, whatever business date it gives itself. Weighed on London
 * days, and on what the ledger showed, not on the revisions that count at a business date. A plan recorded after its
 * deadlines had passed, as an imported document is, has none: the ledger never showed them pass.
 */
export const recordedAfterShownDeadline = (recordedAt: string, shown: Due, onLedgerSince: string): boolean => {
  const due = dueDayNumber(shown);
  return due !== undefined && firstDayNumber(recordedDay(onLedgerSince)) <= due && firstDayNumber(recordedDay(recordedAt)) > due;
};
