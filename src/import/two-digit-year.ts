import { firstDayOf, isRealCalendarDate, lastDayOf } from '../../events/business-date.ts';
import { MONTH_NAME, monthNumber, readMonthYear } from './dates.ts';

/**
 * "June 12 staff trained": an update opening with a month and a two-digit figure is read as the month and a two-digit
 * year, as "Aug 17 500 leaflets sent" is August 2017. The figure may as well be a day written month first with its
 * year left out (12 June), and beside the document's date the two readings part: June 2012 is five years before a
 * plan of 2017, 12 June 2017 within it. A progress round reports recent work, so the year is taken while it falls
 * within the two years up to the document's date (the Dorset plan's updates of August 2017 tell of work from November
 * 2015 on, 21 months before). Further back, or after the document's date, which no update it reports can be, the
 * opening reads two ways and is not guessed, as "Jun 30 18" is not.
 *
 * Only a space between: "Aug-17" (Excel's mmm-yy), "Aug '17" and "Aug/17" write a year and nothing else.
 */
const SPACED = new RegExp(`^(${MONTH_NAME})\\.?\\s+(\\d{2})$`, 'i');

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');

export interface TwoReadings {
  /** The month and two-digit year, "2012-06", and the day written month first, "2017-06-12". */
  asYear: string;
  asDay: string;
  /** Where the year falls: more than two years before the document's date, or after it. */
  falls: 'before' | 'after';
}

/** The same day two years earlier, for comparing days as strings ("2017-08-01" → "2015-08-01"). */
const twoYearsBefore = (day: string) => `${Number(day.slice(0, 4)) - 2}${day.slice(4)}`;

/**
 * The two readings of an opening such as "June 12" (`written`, as readDatePrefix found it) where the year reading falls
 * outside the two years up to the document's date; undefined where it is within them, where the opening is no month
 * and two-digit figure, or where the figure is no day of that month ("June 31", "Feb 00"), so that it can only be a year.
 * The day is taken in the latest year that puts it no later than the document's date.
 */
export const twoReadings = (written: string | undefined, documentDate: string): TwoReadings | undefined => {
  const m = written === undefined ? null : SPACED.exec(written.trim());
  if (!m) return undefined;
  const asYear = readMonthYear(m[1]!, m[2]!)!;
  const end = lastDayOf(documentDate);
  const falls = firstDayOf(asYear) > end ? 'after' : lastDayOf(asYear) < twoYearsBefore(firstDayOf(documentDate)) ? 'before' : undefined;
  if (!falls) return undefined;
  const year = Number(end.slice(0, 4));
  const asDay = [year, year - 1]
    .map((y) => `${y}-${pad(monthNumber(m[1]!)!)}-${m[2]}`)
    .find((day) => isRealCalendarDate(day) && day <= end);
  return asDay ? { asYear, asDay, falls } : undefined;
};

/**
 * Whether an opening is a month and a two-digit figure that may be a day of that month written month first, in some
 * year ("Dec 24", "Feb 29"; not "June 31"): what a document that states no date of its own is not dated by while an
 * update dated beyond doubt is there to date it (text-plan-assembly.ts), as "Dec 24" read as December 2024 would date
 * the document, and so every undated fact in it, from then, and would never read as after it.
 */
export const mayBeADay = (written: string | undefined): boolean => {
  const m = written === undefined ? null : SPACED.exec(written.trim());
  // 2000 was a leap year: every day a month can have is one of it.
  return m !== null && isRealCalendarDate(`2000-${pad(monthNumber(m[1]!)!)}-${m[2]}`);
};

/** "2012-06" → "June 2012"; "2017-06-12" → "12 June 2017". */
export const inWords = (date: string): string => {
  const [year, month, day] = date.split('-');
  return `${day ? `${Number(day)} ` : ''}${MONTHS[Number(month) - 1]} ${year}`;
};
