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

/** The calendar day in London at an instant (ISO string or Date). */
export const londonDay = (instant: string | Date): string =>
  londonDate.format(typeof instant === 'string' ? new Date(instant) : instant);

/** True when a business date starts after the given London day: it has not happened yet. */
export const isInFuture = (date: BusinessDate, today: string): boolean => firstDayOf(date) > today;

/** True when date a ends before date b begins, at whatever precision each has. */
export const endsBefore = (a: BusinessDate, b: BusinessDate): boolean => lastDayOf(a) < firstDayOf(b);
