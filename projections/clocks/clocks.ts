import { firstDayOf, lastDayOf } from '../../events/business-date.ts';
import { londonDay } from '../../src/domain/calendar.ts';
import { recordedDay } from './recorded-day.ts';
import { ReadRequestError } from './read-request-error.ts';

/**
 * The two clocks every view can be read at (docs/projections.md, "Two clocks"):
 * - `asOf`, ledger time: only events recorded by this instant count ("what did the ledger say then?");
 * - `effectiveOn`, business time: only facts that had happened by the last day of this day or
 *   month count, as the ledger knows them at `asOf` ("what was true then, as we know it?").
 * Either, both or neither (the live view) may be given.
 */
export interface Clocks {
  /** An ISO instant (a day given by a person has already become the end of that London day). */
  asOf?: string | undefined;
  /** A business date as the documents give them: a day (YYYY-MM-DD) or a month (YYYY-MM). */
  effectiveOn?: string | undefined;
}

export const isLive = (clocks: Clocks): boolean => clocks.asOf === undefined && clocks.effectiveOn === undefined;

/** The last London day a fact may have happened on and still count at this effectiveOn (a month: its last day). */
export const businessCutoff = (effectiveOn: string): string => lastDayOf(effectiveOn);

/**
 * The London day from which a fact counts on the business clock. A fact dated only by its month
 * ("2017-08") is known to have happened by the month's last day, as a month deadline is due on
 * its last day: on 15 August 2017 it has not yet counted. Unless the ledger was told earlier:
 * what it was told on 3 August had happened by 3 August, so it counts from then (and a read at
 * today's date agrees with the live view). `toldAt` is when the ledger was told the date: the
 * fact's own recording, or for a date a correction set, that correction's (select-facts.ts).
 */
export const countsFrom = (businessDate: string, toldAt: string): string => {
  const last = lastDayOf(businessDate);
  const told = recordedDay(toldAt);
  return told < last ? told : last;
};

/**
 * Events that change what is known rather than record something that happened: they count at
 * every effectiveOn as soon as they are recorded. A correction recorded by `asOf` applies to
 * every business date, whatever its own; so does a plan's retraction (a plan imported by
 * mistake was never true at any date) and its reinstatement.
 */
const knowledgeTypes: ReadonlySet<string> = new Set(['EntryCorrected', 'PlanRetracted', 'PlanReinstated']);
export const isKnowledgeEvent = (type: string): boolean => knowledgeTypes.has(type);

/** The London day of the ledger clock: of `asOf` when it is in the past, else of now. */
export const ledgerDay = (clocks: Clocks, now: Date): string =>
  londonDay(clocks.asOf !== undefined && clocks.asOf < now.toISOString() ? clocks.asOf : now);

/**
 * "Today" for computed statuses (overdue, due soon, stale): the effectiveOn's last day, or the
 * ledger clock's day when that comes first (a month that is not over yet, or one the ledger at
 * `asOf` had not finished).
 */
export const todayAt = (clocks: Clocks, now: Date): string => {
  const day = ledgerDay(clocks, now);
  if (clocks.effectiveOn === undefined) return day;
  const cutoff = businessCutoff(clocks.effectiveOn);
  return cutoff < day ? cutoff : day;
};

/**
 * Refuses an effectiveOn that starts after the ledger clock's day: nothing can be known then
 * about a day that had not yet begun. After today it is `effective-on-in-future`, whatever the
 * `asOf`; otherwise, after the `asOf` day, `effective-on-after-as-of`.
 *
 * An `asOf` after this clock's now is not moved here: the ledger stamps an event no earlier than the
 * one before it (src/store/ledger-time.ts), so after this server's clock steps back, or where
 * another instance's runs ahead, events may carry times later than this clock's now, and an `asOf`
 * at those times must still include them. The API moves one still to come to the ledger time now,
 * the later of the clock and the last event's (`notAfterLedgerNow`, src/store/ledger-now.ts).
 */
export const checkClocks = (clocks: Clocks, now: Date): Clocks => {
  if (clocks.effectiveOn === undefined) return clocks;
  const begins = firstDayOf(clocks.effectiveOn);
  const today = londonDay(now);
  if (begins > today)
    throw new ReadRequestError('effective-on-in-future', 'effectiveOn', `effectiveOn ${clocks.effectiveOn} begins after today (${today})`);
  const day = ledgerDay(clocks, now);
  if (begins > day)
    throw new ReadRequestError(
      'effective-on-after-as-of',
      'effectiveOn',
      // London's day, named so: an asOf written with another offset (2019-07-01T00:30+02:00) can fall on the day before.
      `effectiveOn ${clocks.effectiveOn} begins after the asOf day (${day}) in London: the ledger as it stood then knew nothing of it`,
    );
  return clocks;
};
