import { firstDayOf, lastDayOf, type BusinessDate, type Due } from '../../events/business-date.ts';

/**
 * Deadline arithmetic on London calendar days (YYYY-MM-DD strings). A month-precision
 * deadline ("October 2015") is due on the last day of its month; "Ongoing" and
 * "As per …" timescales have no due day, so they are never overdue.
 */
const DAY_MS = 86_400_000;
const utc = (day: string) => Date.parse(`${day}T00:00:00Z`);

export const daysBetween = (from: string, to: string): number => Math.round((utc(to) - utc(from)) / DAY_MS);

export const addDays = (day: string, days: number): string => new Date(utc(day) + days * DAY_MS).toISOString().slice(0, 10);

/** The last day work can be done and still meet the deadline, or undefined when the timescale is not a date. */
export const dueDay = (due: Due): string | undefined => (due.kind === 'date' ? lastDayOf(due.date) : undefined);

/**
 * Days a completion came after a deadline (0 when on time). A completion given only as a
 * month is late only if the whole month is after the deadline: "completed October" meets
 * a deadline of 15 October, because the record cannot say otherwise.
 */
export const daysLate = (completedOn: BusinessDate, due: Due): number | undefined => {
  const day = dueDay(due);
  return day === undefined ? undefined : Math.max(0, daysBetween(day, firstDayOf(completedOn)));
};

/** How far the current deadline has moved from the original, in days (negative when brought forward). */
export const slippageDays = (original: Due, current: Due): number | undefined => {
  const from = dueDay(original);
  const to = dueDay(current);
  return from === undefined || to === undefined ? undefined : daysBetween(from, to);
};

/** True when a business date (day or month) overlaps the window of days [from, to]. */
export const dayInWindow = (day: string, from: string, to: string): boolean => day >= from && day <= to;

/**
 * The calendar quarter holding a London day: January–March, April–June, July–September or
 * October–December (the same three-month blocks as the NHS financial year's Q4, Q1, Q2, Q3).
 * The deadline report's period when the board asks for none.
 */
export const quarterOf = (day: string): { from: string; to: string } => {
  const [year, month] = day.split('-').map(Number) as [number, number];
  const first = month - ((month - 1) % 3);
  const monthOf = (m: number) => `${year}-${String(m).padStart(2, '0')}`;
  return { from: `${monthOf(first)}-01`, to: lastDayOf(monthOf(first + 2)) };
};
