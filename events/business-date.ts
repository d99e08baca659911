import { z } from 'zod';

/**
 * Dates as the documents give them. Action plans speak in months ("October 2015",
 * "End July 2015") as often as in days, so a business date keeps its precision:
 * "2015-10" is a month, "2017-08-15" is a day. An impossible date such as
 * 2020-09-31 is refused rather than rolled over into October.
 */
const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export type DatePrecision = 'day' | 'month';

/**
 * Days in a month of the (proleptic) Gregorian calendar. Counted, not asked of Date.UTC, which
 * takes a year from 0 to 99 as 1900 to 1999 (so 0004-02-29 would be judged by 1904's February).
 */
const daysInMonth = (year: number, month: number): number => {
  if (month !== 2) return [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
};

export const isRealCalendarDate = (value: string): boolean => {
  const day = DAY.exec(value);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (m < 1 || m > 12 || d < 1) return false;
    return d <= daysInMonth(y, m);
  }
  const month = MONTH.exec(value);
  if (month) {
    const m = Number(month[2]);
    return m >= 1 && m <= 12;
  }
  return false;
};

export const precisionOf = (value: string): DatePrecision => (DAY.test(value) ? 'day' : 'month');

const BUSINESS_DATE_FORMAT = 'must be a real calendar date as YYYY-MM-DD, or a month as YYYY-MM';

/**
 * Why a business date is refused: a value of the right form naming a day or month that does not exist (2017-02-29,
 * 2017-13) is said so, as a ledger time's is (projections/clocks/ledger-time.ts), rather than only the form it has.
 */
export const businessDateRefusal = (value: unknown): string =>
  typeof value === 'string' && DAY.test(value)
    ? `${BUSINESS_DATE_FORMAT} (${value} is not a day that exists)`
    : typeof value === 'string' && MONTH.test(value)
      ? `${BUSINESS_DATE_FORMAT} (${value} is not a month that exists)`
      : BUSINESS_DATE_FORMAT;

export const BusinessDate = z
  .string()
  .refine(isRealCalendarDate, { error: (issue) => businessDateRefusal(issue.input) })
  .describe('A day (YYYY-MM-DD) or a month (YYYY-MM)');
export type BusinessDate = z.infer<typeof BusinessDate>;

/** When a fact happened in the world, with the precision the source gave. */
export const EffectiveOn = z
  .object({ date: BusinessDate, precision: z.enum(['day', 'month']) })
  .strict()
  .refine((value) => precisionOf(value.date) === value.precision, {
    message: 'precision must match the date: YYYY-MM is a month, YYYY-MM-DD a day',
  });
export type EffectiveOn = z.infer<typeof EffectiveOn>;

export const effectiveOn = (date: string): EffectiveOn => ({ date, precision: precisionOf(date) });

/**
 * Each business date's last day, worked out once: a rebuild asks it of every fact several times
 * over (when each counts on the business clock), and testing, splitting and padding the text was
 * a thirtieth of a rebuild's time. A plan's dates are few, so the cap is only a guard.
 */
const lastDays = new Map<string, string>();
const LAST_DAYS_AT_MOST = 100_000;

/** The last calendar day a business date covers: a month-precision deadline means its month's end. */
export const lastDayOf = (date: BusinessDate): string => {
  let last = lastDays.get(date);
  if (last === undefined) {
    if (lastDays.size >= LAST_DAYS_AT_MOST) lastDays.clear();
    if (precisionOf(date) === 'day') last = date;
    else {
      const [y, m] = date.split('-').map(Number) as [number, number];
      last = `${date}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
    }
    lastDays.set(date, last);
  }
  return last;
};

/** The first calendar day a business date covers. */
export const firstDayOf = (date: BusinessDate): string => (precisionOf(date) === 'day' ? date : `${date}-01`);

/**
 * An action's timescale. Documents give a date ("October 2015"), an open commitment
 * ("Ongoing") or a pointer elsewhere ("As per Suicide Prevention Action Plan");
 * the wording is always kept so nothing the document said is lost.
 */
export const Due = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('date'), date: BusinessDate, wording: z.string().max(500).optional() }).strict(),
  z.object({ kind: z.literal('ongoing'), wording: z.string().max(500).optional() }).strict(),
  z.object({ kind: z.literal('undated'), wording: z.string().min(1).max(500) }).strict(),
]);
export type Due = z.infer<typeof Due>;

export const sameDue = (a: Due, b: Due): boolean =>
  a.kind === b.kind &&
  (a.kind !== 'date' || b.kind !== 'date' || a.date === b.date) &&
  (a.kind !== 'undated' || b.kind !== 'undated' || a.wording === b.wording);
