import { firstDayOf, lastDayOf, type BusinessDate, type Due } from '../../events/business-date.ts';

/**
 * Deadline arithmetic on London calendar days (YYYY-MM-DD strings). A month-precision
 * deadline ("October 2015") is due on the last day of its month; "Ongoing" and
 * "As per …" timescales have no due day, so they are never overdue.
 *
 * A cross-plan report asks these of every action (tens of thousands of them) about a few
 * hundred distinct dates, so each date is parsed once: the memos below keep what a date
 * string means. They hold nothing but facts of the calendar, so any process may keep its own.
 */
const DAY_MS = 86_400_000;

/** A memo of a pure function of a date string; emptied when full, as the dates a ledger uses are few. */
const memoised = <T>(compute: (date: string) => T, capacity = 20_000) => {
  const memo = new Map<string, T>();
  return (date: string): T => {
    let value = memo.get(date);
    if (value === undefined && !memo.has(date)) {
      if (memo.size >= capacity) memo.clear();
      memo.set(date, (value = compute(date)));
    }
    return value as T;
  };
};

/** Days since 1970-01-01 of a calendar day (YYYY-MM-DD). */
export const dayNumber = memoised((day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS);
const lastDay = memoised(lastDayOf);
const firstDay = memoised(firstDayOf);

export const daysBetween = (from: string, to: string): number => Math.round(dayNumber(to) - dayNumber(from));

export const addDays = (day: string, days: number): string => new Date((dayNumber(day) + days) * DAY_MS).toISOString().slice(0, 10);

/** The last day work can be done and still meet the deadline, or undefined when the timescale is not a date. */
export const dueDay = (due: Due): string | undefined => (due.kind === 'date' ? lastDay(due.date) : undefined);

/**
 * Days a completion came after a deadline (0 when on time). A completion given only as a
 * month is late only if the whole month is after the deadline: "completed October" meets
 * a deadline of 15 October, because the record cannot say otherwise.
 */
export const daysLate = (completedOn: BusinessDate, due: Due): number | undefined => {
  const day = dueDay(due);
  return day === undefined ? undefined : Math.max(0, daysBetween(day, firstDay(completedOn)));
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
