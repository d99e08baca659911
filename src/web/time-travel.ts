import { endOfLondonDay, londonDay } from '../domain/calendar.ts';
import { BusinessDate, lastDayOf, precisionOf } from '../../events/business-date.ts';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { asWritten, hasLedgerTimeForm, LedgerTime } from '../../projections/clocks/ledger-time.ts';
import { ReadRequestError } from '../../projections/clocks/read-request-error.ts';
import { businessDate, exactInstant } from '../presentation/format.ts';
import { ledgerNow } from '../store/ledger-now.ts';
import type { EventStore } from '../store/port.ts';

/**
 * The two clocks a page can be read at (docs/projections.md, "Two clocks"):
 * - "as the ledger stood on a date": `asOf=2017-03-31` shows what the ledger said at the end of
 *   that London day, from only the events recorded by then; an ISO instant is taken as it is.
 *   A date from today on is simply the present.
 * - "as things stood on a date": `effectiveOn=2017-03-31` (a day) or `2017-03` (a month) shows
 *   what was true then, as the ledger knows it now (or knew it at `asOf`).
 * `clocks` is what the pages pass to the same reader the API reads through.
 */
type LedgerClock =
  | {
      past: false;
      asOf?: undefined;
      /** A ledger date asked for that is still to come, in words: the page says it shows the present instead. */
      stillToCome?: string;
    }
  | { past: true; asOf: string; label: string; value: string };
export type TimeTravel = LedgerClock & {
  /** Neither clock is set: the live view, the only one a person can write from. */
  live: boolean;
  clocks: Clocks;
  /** The business date asked for, as given, and in words ("on 31 March 2017", "by the end of March 2017"). */
  effectiveOn?: string;
  effectiveLabel?: string;
  /** The same as a limit, for what had or had not happened by then ("by 31 March 2017", "by the end of March 2017"). */
  effectiveBy?: string;
  /**
   * The business date holds today, on a page of the ledger as it stands now: the page shows today, by the
   * dates things happened, not the past (its banner says so).
   */
  effectiveToday?: boolean;
  /** The query string that keeps both clocks on a link ('' for the live view). */
  query: string;
};

export const PRESENT: TimeTravel = { past: false, live: true, clocks: {}, query: '' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export { endOfLondonDay };

type ClockField = 'asOf' | 'effectiveOn';

/**
 * Dates a person typed that name no point in time: each with the form field to point them to, all
 * of them at once (a person who corrects one should not then be told of the other).
 */
export class BadTimeTravel extends Error {
  readonly problems: { field: ClockField; message: string }[];
  constructor(field: ClockField, message: string, more: { field: ClockField; message: string }[] = []) {
    super([message, ...more.map((p) => p.message)].join('. '));
    this.problems = [{ field, message }, ...more];
  }
}

/**
 * A clock's name written otherwise (`asof`, `AsOf`, `as-of` as the command line spells it, `effective_on`, `asOf[]` as
 * a form library writes a list): the API refuses it as a name it does not take, and a page that passed over it would
 * show the present under no banner of the past, to a reader who believes they asked for the past. So a page refuses it
 * too, naming the clock it looks like: its letters alone, whatever else the name holds.
 */
const clockNamed = (name: string): ClockField | undefined => {
  const bare = name.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();
  const clock = bare === 'asof' ? 'asOf' : bare === 'effectiveon' ? 'effectiveOn' : undefined;
  return clock === name ? undefined : clock;
};

/** The clock a query name spells, as the API writes it or otherwise; undefined for any other name. */
export const clockSpeltBy = (name: string): ClockField | undefined => (name === 'asOf' || name === 'effectiveOn' ? name : clockNamed(name));

/** Whether a query name is a clock's written otherwise (kept off the links and forms that carry an address's other fields). */
export const isMisspeltClock = (name: string): boolean => clockNamed(name) !== undefined;

const misspeltClocks = (query: object): BadTimeTravel['problems'] =>
  Object.keys(query).flatMap((name) => {
    const field = clockNamed(name);
    return field === undefined
      ? []
      : [{ field, message: `The address gives "${name}", which is not a date this page takes: write it ${field}, capitals included` }];
  });

const ledgerClockOf = (asOf: unknown, now: Date): LedgerClock => {
  if (asOf === undefined || asOf === '') return { past: false };
  if (typeof asOf !== 'string') throw new BadTimeTravel('asOf', 'Enter one date for what the ledger said, for example 2017-03-31');
  // Spaces around a date (pasted, or typed into the form) are not part of it, as on the other clock.
  return ledgerClockOfText(asOf.trim(), now);
};

/**
 * A ledger time as a page takes it, read as the API reads asOf so that a page and the API name one
 * moment: a day (the end of that London day) or an exact instant, with its words ("the end of 31 March
 * 2017") and its text as written (for links and forms). When it names none: whether it looked like a
 * day (2017-02-31, a day that does not exist) or like nothing at all, for the words that say so.
 */
export const ledgerTimeOf = (text: string): { at: string; label: string; value: string } | { refused: 'day' | 'form' | 'years' } => {
  const day = DAY.test(text);
  const parsed = LedgerTime.safeParse(text);
  if (!parsed.success) return { refused: hasLedgerTimeForm(text) ? 'years' : day ? 'day' : 'form' };
  const at = parsed.data;
  return { at, label: day ? `the end of ${businessDate(text)}` : exactInstant(at), value: asWritten(text) };
};

const ledgerClockOfText = (asOf: string, now: Date): LedgerClock => {
  if (asOf === '') return { past: false };
  const read = ledgerTimeOf(asOf);
  if ('refused' in read)
    throw new BadTimeTravel(
      'asOf',
      read.refused === 'day'
        ? 'Enter a real date for what the ledger said, for example 2017-03-31'
        : read.refused === 'years'
          ? 'Enter a date for what the ledger said in the years 0001 to 9999, London time'
          : 'Enter the date for what the ledger said as year, month and day, for example 2017-03-31, ' +
            'or an exact time with its offset, such as 2017-03-31T17:00:00+01:00',
    );
  if (read.at >= now.toISOString()) return { past: false, stillToCome: read.label };
  return { past: true, asOf: read.at, label: read.label, value: read.value };
};

/**
 * The moment a page takes as now, to tell an asOf in the past from one still to come: the clock, or, for an asOf the
 * clock has not reached, the ledger time now (later than the clock when the clock is behind the one that stamped the
 * last event: stepped back, or another instance's ahead). An asOf the ledger time has passed is then the past, read
 * as the API reads it, and not the present with the events recorded after it. The store is asked only for such an asOf.
 */
export const pageNow = async (store: Pick<EventStore, 'headLedgerTime'>, asOf: unknown, clock: Date): Promise<Date> => {
  if (typeof asOf !== 'string') return clock;
  const read = ledgerTimeOf(asOf.trim());
  if ('refused' in read || read.at < clock.toISOString()) return clock;
  return new Date(await ledgerNow(store, clock));
};

const effectiveOnOf = (effectiveOn: unknown): string | undefined => {
  if (effectiveOn === undefined || effectiveOn === '') return undefined;
  if (typeof effectiveOn !== 'string')
    throw new BadTimeTravel('effectiveOn', 'Enter one date for what was true on, for example 2017-03-31 or 2017-03');
  if (!BusinessDate.safeParse(effectiveOn.trim()).success)
    throw new BadTimeTravel('effectiveOn', 'Enter what was true on as a real day (2017-03-31) or a month (2017-03)');
  return effectiveOn.trim();
};

/**
 * A business date in words, as a page names what it shows. A month the ledger's day falls in
 * (today's, or the asOf day's) is counted only to that day (docs/projections.md, "Today" is the
 * effectiveOn date), so it is named so, not as the month's end, a day still to come.
 */
const effectiveLabelOf = (effectiveOn: string, ledgerDay: string): string => {
  if (precisionOf(effectiveOn) === 'day') return `on ${businessDate(effectiveOn)}`;
  if (lastDayOf(effectiveOn) > ledgerDay) return `so far in ${businessDate(effectiveOn)} (to ${businessDate(ledgerDay)})`;
  return `by the end of ${businessDate(effectiveOn)}`;
};

/** The business date with its words as the page says what it shows, and as the limit of what had happened by then. */
export const effectiveLabelsOf = (effectiveOn: string, ledgerDay: string) => {
  const effectiveLabel = effectiveLabelOf(effectiveOn, ledgerDay);
  return {
    effectiveOn,
    effectiveLabel,
    effectiveBy: precisionOf(effectiveOn) === 'day' ? `by ${businessDate(effectiveOn)}` : effectiveLabel,
  };
};

/**
 * A clock the reader refused (ReadRequestError: a business date after today, or after the ledger's
 * date), in words for the person and the field it came from; undefined for any other error.
 */
export const clockRefusal = (error: unknown): BadTimeTravel | undefined => {
  if (error instanceof BadTimeTravel) return error;
  if (error instanceof ReadRequestError)
    return new BadTimeTravel(
      'effectiveOn',
      error.code === 'effective-on-after-as-of'
        ? 'What was true on must not be after the date the ledger said it at'
        : 'What was true on must be today or earlier',
    );
  return undefined;
};

/**
 * The clocks a page's query asks for, checked by `check` (the reader's own: a business date must
 * not begin after the ledger's day). Every date that cannot be read is named at once, in one
 * BadTimeTravel: a business date in the future too when the other date is not a date at all.
 */
export const timeTravelOf = (
  query: { asOf?: unknown; effectiveOn?: unknown },
  now: Date,
  check: (clocks: Clocks) => unknown = () => undefined,
): TimeTravel => {
  // Both clocks are read before either is refused, so that the page names every date it cannot read.
  const problems: BadTimeTravel['problems'] = misspeltClocks(query);
  const attempt = <T>(clock: () => T, otherwise: T): T => {
    try {
      return clock();
    } catch (error) {
      const refused = clockRefusal(error);
      if (!refused) throw error;
      problems.push(...refused.problems);
      return otherwise;
    }
  };
  const ledger = attempt<LedgerClock>(() => ledgerClockOf(query.asOf, now), { past: false });
  const effectiveOn = attempt(() => effectiveOnOf(query.effectiveOn), undefined);
  // Without a ledger date to hold it to, a business date is still held to today.
  attempt(() => check(problems.length === 0 ? { asOf: ledger.asOf, effectiveOn } : { effectiveOn }), undefined);
  if (problems.length > 0) throw new BadTimeTravel(problems[0]!.field, problems[0]!.message, problems.slice(1));
  const params = new URLSearchParams();
  if (ledger.past) params.set('asOf', ledger.value);
  if (effectiveOn !== undefined) params.set('effectiveOn', effectiveOn);
  return {
    ...ledger,
    live: !ledger.past && effectiveOn === undefined,
    clocks: { asOf: ledger.asOf, effectiveOn },
    ...(effectiveOn === undefined ? {} : effectiveLabelsOf(effectiveOn, londonDay(ledger.past ? ledger.asOf : now))),
    ...(effectiveOn !== undefined && !ledger.past && lastDayOf(effectiveOn) >= londonDay(now) && { effectiveToday: true }),
    query: params.toString(),
  };
};

/** A link that keeps the page's clocks. */
export const keepTime = (href: string, travel: TimeTravel): string =>
  travel.query ? `${href}${href.includes('?') ? '&' : '?'}${travel.query}` : href;
