import { firstDayOf, lastDayOf, type BusinessDate } from '../../events/business-date.ts';

/**
 * The ledger's calendar is England's: a deadline of "October 2015" is met by work
 * done on 31 October in London, whatever the server's own time zone.
 */
const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The calendar day in London at an instant (ISO string or Date). Every command asks this,
 * and Intl formatting is slow, so the answer is remembered per UTC minute: London's day
 * only ever changes on a minute boundary.
 */
let remembered = { minute: Number.NaN, day: '' };
export const londonDay = (instant: string | Date): string => {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const minute = Math.floor(date.getTime() / 60_000);
  // Intl writes a year before 1000 with fewer digits ("999-06-01"): days compare as YYYY-MM-DD text.
  if (minute !== remembered.minute) remembered = { minute, day: londonDate.format(date).padStart(10, '0') };
  return remembered.day;
};

/** True when a business date starts after the given London day: it has not happened yet. */
export const isInFuture = (date: BusinessDate, today: string): boolean => firstDayOf(date) > today;

/** True when date a ends before date b begins, at whatever precision each has. */
export const endsBefore = (a: BusinessDate, b: BusinessDate): boolean => lastDayOf(a) < firstDayOf(b);

/**
 * The last millisecond of a London day, in UTC (London is UTC or UTC+1): a day given where an
 * instant is expected ("what did the ledger say on 1 March 2019?") means the end of that day.
 */
export const endOfLondonDay = (day: string): string => {
  const candidate = new Date(`${day}T23:59:59.999Z`);
  if (londonDay(candidate) > day) candidate.setUTCHours(candidate.getUTCHours() - 1);
  return candidate.toISOString();
};

/** The first millisecond of a London day, in UTC: midnight UTC in winter, 23:00 UTC the day before in summer. */
export const startOfLondonDay = (day: string): string => {
  const summer = new Date(`${day}T00:00:00.000Z`);
  summer.setUTCHours(-1);
  return londonDay(summer) === day ? summer.toISOString() : `${day}T00:00:00.000Z`;
};

/**
 * An ISO 8601 instant as the ledger keeps instants: UTC, to the millisecond, any finer fraction
 * dropped (so an event recorded at .099 is recorded by .0999). Date reads a fraction of ten
 * digits or more wrongly (".0990000000" as .990), so the fraction is cut here first.
 */
export const isoInstant = (value: string): string => new Date(value.replace(/(\.\d{3})\d+/, '$1')).toISOString();
