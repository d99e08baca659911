import { firstDayOf, lastDayOf } from '../../events/business-date.ts';
import { namesQuarter } from './column-period.ts';
import type { ImportWarning } from './plan-document.ts';
import { inWords, twoReadings } from './two-digit-year.ts';
import type { RawUpdate } from './update-paragraphs.ts';

/**
 * A business date that begins after the last day the document's date covers. A month holding the document's date is
 * not after it ("November 2018" in a document of 1 November 2018), nor is a day of a document dated by its month.
 */
export const isAfterDocument = (date: string, documentDate: string): boolean => firstDayOf(date) > lastDayOf(documentDate);

/** The date as the document wrote it, for the warning: a quarter with its end, the opening's words, or the heading that dated it. */
const asWritten = (u: RawUpdate) =>
  u.period
    ? `"${u.period}", a quarter ending ${u.date}`
    : u.written
      ? `"${u.written}"`
      : `by the heading of its column${u.column ? `, "${u.column}"` : ''} (${u.date})`;

/** A quarter an update opens with, or, with no date of its own, its column's heading names ("Q3 2018/19 RAG"). */
const isQuarter = (u: RawUpdate) => u.period !== undefined || (u.written === undefined && u.column !== undefined && namesQuarter(u.column));

/**
 * An update's date as written, unless it is a month and two-digit year that reads two ways beside the document's date,
 * whose update is dated by its column's heading, if that gives a date (as setAside dates it).
 */
export const ownDate = (u: RawUpdate, documentDate: string): string | undefined =>
  twoReadings(u.written, documentDate) === undefined ? u.date : u.columnDate;

/**
 * "June 12 staff trained" in a plan of 2017: the paragraph given back whole, both readings named, and dated as an
 * opening that reads two ways ("Jun 30 18") is: by its column's heading where that gives a date, else undated.
 */
const setAside = <U extends RawUpdate>(u: U, documentDate: string, owner: string, warnings: ImportWarning[]): U => {
  const readings = u.date === undefined ? undefined : twoReadings(u.written, documentDate);
  if (!readings) return u;
  const [asYear, asDay] = [inWords(readings.asYear), inWords(readings.asDay)];
  warnings.push({
    code: 'update-date-ambiguous',
    line: u.line,
    message:
      `update opening "${u.written}" on ${owner} may be ${asYear}, a month and two-digit year ` +
      `${readings.falls === 'before' ? 'more than two years before' : 'after'} the document's date (${documentDate}), ` +
      `or ${asDay}, a day written month first; treated as undated. Write the month and year in full ("${asYear}") ` +
      `or the day first ("${asDay}")`,
  });
  return { ...u, date: u.columnDate, written: undefined, narrative: `${u.opening ?? ''}${u.narrative}` };
};

/**
 * Each update's business date, settled against the document's by one documented rule:
 * - a month and two-digit year an update opens with that falls more than two years before the document's date, or
 *   after it, and may be a day written month first ("June 12" in a plan of 2017), is not guessed (two-digit-year.ts);
 * - a date that begins after the document's date, an opening's ("March 2019: …", "15 December 2018 – …",
 *   "Q3 2018/19: …" in a document of 30 November 2018) or a column heading's ("Q3 2018/19 RAG"), is held to the
 *   document's date, with a warning naming it as written: the document reported it by its own date, so it cannot
 *   have happened later as far as the document knows, and a date after it would leave the update out of every
 *   business-clock answer between the two; a quarter so held is informational (`update-period-after-document`), a
 *   month or a day blocks the import until accepted (`update-after-document`), as one of the two dates is wrong;
 * - an undated update is no later than the next dated update of the same action (as held), so it takes that date;
 *   with none after it, the document's date; either way it is reported.
 * A document with no date of its own is dated by its latest dated update, so nothing is after it.
 */
export const settleUpdates = <U extends RawUpdate>(
  updates: U[],
  documentDate: string,
  owner: string,
  warnings: ImportWarning[],
): (U & { date: string })[] => {
  const held = (u: U) => (u.date && isAfterDocument(u.date, documentDate) ? documentDate : u.date);
  return updates
    .map((u) => setAside(u, documentDate, owner, warnings))
    .map((u, i, all) => {
      const date = held(u);
      // A quarter (an opening's or a heading's) is reported before its end: held, as a date settled by the rule. A month
      // or a day after the document's date says one of the two dates is wrong, most often a cover page not brought up to
      // date ("Updated March 2016" over updates of August 2017): held, the updates would move back by as long, so the
      // import stops at the gate for a person to give the right date or accept the hold.
      if (u.date && date !== u.date)
        warnings.push({
          code: isQuarter(u) ? 'update-period-after-document' : 'update-after-document',
          line: u.line,
          message:
            `an update on ${owner} is dated ${asWritten(u)}, after the document's date; recorded as effective ` +
            `${documentDate}, the document's date, as it cannot have been reported later (if it is the document's date ` +
            `that is wrong, give the right one with --effective-on)`,
        });
      if (date) return { ...u, date };
      const next = all
        .slice(i + 1)
        .map(held)
        .find((d) => d !== undefined);
      const settled = next ?? documentDate;
      warnings.push({
        code: 'undated-update',
        line: u.line,
        message:
          `an update on ${owner} has no date; recorded as effective ${settled} ` +
          `(${next ? 'the date of the next dated update, which it precedes' : 'the document date'})`,
      });
      return { ...u, date: settled };
    });
};
