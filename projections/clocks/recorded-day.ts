import { londonDay } from '../../src/domain/calendar.ts';

/**
 * The London day an instant falls on, for the instants events are recorded at. Since London took
 * Greenwich time (00:01:15 UTC on 1 December 1847) its day changes only on the hour (its offsets
 * are whole hours), so each UTC hour's answer from then on is remembered: Intl formatting per
 * event would cost a rebuild more than the rest of the fold.
 * By hour, not only the last one: a rebuild folds one plan at a time, and a plan's events span
 * years, so consecutive events rarely share an hour. A few years of hours are kept at most (a
 * few MB); past that the memory starts again.
 */
const dayOfHour = new Map<string, string>();
const HOURS_KEPT = 50_000;

/** The first UTC hour wholly on Greenwich time: an instant before it is not remembered by its hour. */
const FIRST_WHOLE_HOUR = '1847-12-01T01';
/** The character code of "2", the first digit of the hours 20 to 23 and the second of 22 and 23. */
const TWO = 0x32;

export const recordedDay = (recordedAt: string): string => {
  if (recordedAt < FIRST_WHOLE_HOUR) return londonDay(recordedAt);
  // London has never been behind Greenwich since (0 to 2 hours ahead), so until 22:00 UTC its day
  // is the UTC date. Only the last two hours of a day are looked up: a ledger recorded over ten
  // years spans more hours than are kept, and looking up every hour missed most of the time.
  if (recordedAt.charCodeAt(11) !== TWO || recordedAt.charCodeAt(12) < TWO) return recordedAt.slice(0, 10);
  const hour = recordedAt.slice(0, 13);
  let day = dayOfHour.get(hour);
  if (day === undefined) {
    if (dayOfHour.size >= HOURS_KEPT) dayOfHour.clear();
    day = londonDay(recordedAt);
    dayOfHour.set(hour, day);
  }
  return day;
};
