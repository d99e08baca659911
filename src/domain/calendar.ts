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
 * London's wall clock at an instant, read as if it were UTC, in milliseconds: London's offset then
 * is this less the instant. The era is asked for so that a year before 1 reads as 0 or less, not as
 * its number BC.
 */
const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  era: 'short',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});
const londonWallClock = (ms: number): number => {
  const part: Record<string, string> = {};
  for (const { type, value } of londonClock.formatToParts(ms)) part[type] = value;
  const year = part.era === 'BC' ? 1 - Number(part.year) : Number(part.year);
  const wall = new Date(0);
  // setUTCFullYear, as Date.UTC reads a year below 100 as 19xx.
  wall.setUTCFullYear(year, Number(part.month) - 1, Number(part.day));
  wall.setUTCHours(Number(part.hour), Number(part.minute), Number(part.second), ((ms % 1000) + 1000) % 1000);
  return wall.getTime();
};
const DAY_MS = 86_400_000;
/** The number of a London day (days since 1970-01-01 there) at an instant. */
const londonDayNumber = (ms: number): number => Math.floor(londonWallClock(ms) / DAY_MS);
/** The number of a calendar day written YYYY-MM-DD, counted as londonDayNumber counts. */
const dayNumberOf = (day: string): number => {
  const date = new Date(0);
  date.setUTCFullYear(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  return Math.floor(date.getTime() / DAY_MS);
};

/**
 * Since 1 December 1847 London has kept Greenwich time or whole hours from it, so its day changes
 * on a UTC minute boundary; before, it kept local mean time (UTC-0:01:15), and its day changed
 * 75 seconds into a minute.
 */
const WHOLE_MINUTES_SINCE = Date.UTC(1847, 11, 1, 0, 1, 15);

/**
 * The calendar day in London at an instant (ISO string or Date). Every command asks this,
 * and Intl formatting is slow, so the answer is remembered per UTC minute where London's day
 * only ever changes on a minute boundary.
 */
let remembered = { minute: Number.NaN, day: '' };
export const londonDay = (instant: string | Date): string => {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const ms = date.getTime();
  if (ms < WHOLE_MINUTES_SINCE) return new Date(londonWallClock(ms)).toISOString().slice(0, 10);
  const minute = Math.floor(ms / 60_000);
  // Intl writes a year before 1000 with fewer digits ("999-06-01"): days compare as YYYY-MM-DD text.
  if (minute !== remembered.minute) remembered = { minute, day: londonDate.format(date).padStart(10, '0') };
  return remembered.day;
};

/** True when a business date starts after the given London day: it has not happened yet. */
export const isInFuture = (date: BusinessDate, today: string): boolean => firstDayOf(date) > today;

/** True when date a ends before date b begins, at whatever precision each has. */
export const endsBefore = (a: BusinessDate, b: BusinessDate): boolean => lastDayOf(a) < firstDayOf(b);

/**
 * The first millisecond of a London day, as a UTC instant in milliseconds. London's offset has
 * been UTC-0:01:15 (local mean time, before 1 December 1847), UTC, UTC+1 and UTC+2 (double summer
 * time, 1941-45 and 1947), and its days never went back: the day starts between three hours
 * before UTC midnight and two minutes after it, where a binary search over that window finds it.
 * Remembered per day (a client asks for the same few days again and again); forgotten in bulk.
 */
const dayStarts = new Map<number, number>();
const londonDayStart = (wanted: number): number => {
  const known = dayStarts.get(wanted);
  if (known !== undefined) return known;
  let before = wanted * DAY_MS - 3 * 3_600_000;
  let from = wanted * DAY_MS + 120_000;
  if (londonDayNumber(before) >= wanted || londonDayNumber(from) < wanted)
    throw new Error(`London's day ${new Date(wanted * DAY_MS).toISOString().slice(0, 10)} starts outside the hours searched`);
  while (from - before > 1) {
    const middle = Math.floor((before + from) / 2);
    if (londonDayNumber(middle) >= wanted) from = middle;
    else before = middle;
  }
  if (dayStarts.size >= 10_000) dayStarts.clear();
  dayStarts.set(wanted, from);
  return from;
};

/**
 * The last millisecond of a London day, in UTC: a day given where an instant is expected ("what
 * did the ledger say on 1 March 2019?") means the end of that day.
 */
export const endOfLondonDay = (day: string): string => new Date(londonDayStart(dayNumberOf(day) + 1) - 1).toISOString();

/**
 * The first millisecond of a London day, in UTC: midnight UTC in winter, 23:00 UTC the day before in
 * summer (22:00 in double summer time), 00:01:15 UTC before December 1847.
 */
export const startOfLondonDay = (day: string): string => new Date(londonDayStart(dayNumberOf(day))).toISOString();

/** The instants London's days can be named at: from the first of year 1 to the last of year 9999. */
export const isWithinLondonYears = (instant: string): boolean => {
  const ms = Date.parse(instant);
  return ms >= londonDayStart(dayNumberOf('0001-01-01')) && ms < londonDayStart(dayNumberOf('9999-12-31') + 1);
};

/**
 * An ISO 8601 instant as the ledger keeps instants: UTC, to the millisecond, any finer fraction
 * dropped (so an event recorded at .099 is recorded by .0999). Date reads a fraction of ten
 * digits or more wrongly (".0990000000" as .990), so the fraction is cut here first.
 */
export const isoInstant = (value: string): string => new Date(value.replace(/(\.\d{3})\d+/, '$1')).toISOString();
