import { londonDay } from '../../src/domain/calendar.ts';

/**
 * The London day an instant falls on, for the instants events are recorded at. London's day
 * changes only on the hour (its offsets are whole hours), so each UTC hour's answer is
 * remembered: Intl formatting per event would cost a rebuild more than the rest of the fold.
 * By hour, not only the last one: a rebuild folds one plan at a time, and a plan's events span
 * years, so consecutive events rarely share an hour. A few years of hours are kept at most (a
 * few MB); past that the memory starts again.
 */
const dayOfHour = new Map<string, string>();
const HOURS_KEPT = 50_000;

export const recordedDay = (recordedAt: string): string => {
  const hour = recordedAt.slice(0, 13);
  let day = dayOfHour.get(hour);
  if (day === undefined) {
    if (dayOfHour.size >= HOURS_KEPT) dayOfHour.clear();
    day = londonDay(recordedAt);
    dayOfHour.set(hour, day);
  }
  return day;
};
