import { BusinessDate, lastDayOf } from '../../events/business-date.ts';
import { ReadRequestError } from '../../projections/clocks/read-request-error.ts';
import { londonDay } from '../domain/calendar.ts';
import { businessDate, exactInstant } from '../presentation/format.ts';
import { given, once, pathWithQueryWithout, TWICE } from './query-fields.ts';
import { effectiveLabelsOf, ledgerTimeOf } from './time-travel.ts';

/** The clock the two dates are on, as the API's `clock` names it. */
export type ChangesClock = 'recorded' | 'effective';
export type ChangesQuery = { from?: unknown; to?: unknown; clock?: unknown };
type Problem = { text: string; href: string };

/** One end of the window: as changesView takes it, as typed (for links), and in words. */
export interface WindowEnd {
  /** An instant in UTC on the ledger clock; the business date as typed on the other. */
  point: string;
  value: string;
  /** In a sentence ("at the end of 31 March 2017", "by the end of March 2017"), and as a date alone ("31 March 2017"). */
  words: string;
  date: string;
  /** As a limit of what had been registered by then ("by the end of 31 March 2017"). */
  by: string;
}

export interface ChangesWindow {
  clock: ChangesClock;
  /** The dates as typed, for the form to show again. */
  input: { from: string; to: string };
  /** From or to was given (even twice, or not as a date): a comparison was asked for, and its clock set. */
  asked: boolean;
  /** Both ends, when both were given and read: what is compared. */
  ends?: { from: WindowEnd; to: WindowEnd };
  errors: Problem[];
}

const CLOCKS: readonly string[] = ['recorded', 'effective'] satisfies ChangesClock[];
const capitalised = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

/**
 * A ledger time typed as an end, read as the time-travel form reads "what the ledger said at". A
 * day after today is refused: what the ledger will have recorded cannot be compared with anything
 * (the API would answer from what is recorded so far, and the page would name a day not reached).
 */
const ledgerEnd = (field: 'from' | 'to', text: string, today: string): WindowEnd | Problem => {
  const href = `#${field}`;
  const name = capitalised(field);
  const read = ledgerTimeOf(text);
  if ('refused' in read) {
    if (/^\d{4}-\d{2}$/.test(text))
      return { text: `${name} must be a day, such as ${text}-01: a month is taken by the dates things happened`, href };
    if (read.refused === 'years') return { text: `${name} must be in the years 0001 to 9999, London time`, href };
    return read.refused === 'day'
      ? { text: `${name} must be a real date, for example 2017-03-31`, href }
      : { text: `Enter ${field} as year, month and day, for example 2017-03-31`, href };
  }
  if (londonDay(read.at) > today) return { text: `${name} must be today or earlier`, href };
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? businessDate(text) : read.label;
  return { point: read.at, value: read.value, words: `at ${read.label}`, date, by: `by ${read.label}` };
};

/** A business date typed as an end: a day or a month, worded as the pages word "what was true on". */
const effectiveEnd = (field: 'from' | 'to', text: string, ledgerDay: string): WindowEnd | Problem => {
  if (!BusinessDate.safeParse(text).success)
    return { text: `${capitalised(field)} must be a day (2017-03-31) or a month (2017-03)`, href: `#${field}` };
  const { effectiveLabel, effectiveBy } = effectiveLabelsOf(text, ledgerDay);
  return { point: text, value: text, words: effectiveLabel, date: businessDate(text), by: effectiveBy };
};

/**
 * The window the plan's changes page was asked for, read as the API's `GET /plans/:planId/changes`
 * reads `from`, `to` and `clock`, with the pages' own date helpers: on the ledger clock (the
 * default) a day is the end of that London day, as `asOf` takes it; on the business clock a day or
 * a month. Neither date: only the form is shown. What changesView refuses (a window the wrong way
 * round, a business date after today) is left to it, so that the page and the API refuse alike:
 * `changesRefusal` words its refusal.
 * `today` is the London day now; `ledgerDay` the day of the ledger the page reads (today, or its asOf day).
 */
export const changesWindow = (query: ChangesQuery, today: string, ledgerDay: string): ChangesWindow => {
  const errors: Problem[] = [];
  const clockGiven = given(query.clock);
  if (clockGiven === TWICE) errors.push({ text: 'Choose one way to compare', href: '#clock' });
  else if (clockGiven !== undefined && !CLOCKS.includes(clockGiven))
    errors.push({ text: 'Choose how to compare: as the ledger recorded it, or by the dates things happened', href: '#clock' });
  const clock: ChangesClock = clockGiven === 'effective' ? 'effective' : 'recorded';
  const fields = { from: given(query.from), to: given(query.to) } as const;
  const input = { from: once(fields.from) ?? '', to: once(fields.to) ?? '' };
  const asked = fields.from !== undefined || fields.to !== undefined;
  if (!asked) return { clock, input, asked, errors };
  const ends: Partial<Record<'from' | 'to', WindowEnd>> = {};
  for (const [field, other] of [
    ['from', 'to'],
    ['to', 'from'],
  ] as const) {
    const value = fields[field];
    if (value === TWICE) errors.push({ text: `Enter one ${field} date`, href: `#${field}` });
    else if (value === undefined) errors.push({ text: `Enter ${field} as well as ${other}`, href: `#${field}` });
    else {
      const end = clock === 'recorded' ? ledgerEnd(field, value, today) : effectiveEnd(field, value, ledgerDay);
      if ('href' in end) errors.push(end);
      else ends[field] = end;
    }
  }
  return ends.from && ends.to && errors.length === 0
    ? { clock, input, asked, ends: { from: ends.from, to: ends.to }, errors }
    : { clock, input, asked, errors };
};

/**
 * The page's own other clock where it does not go with the one compared on, as the API refuses it:
 * on the ledger clock both ends already say when the ledger is read, and on the business clock both
 * say what was true when. Any date typed there is refused (as the API refuses any): one that is not
 * a date, given twice, or still to come, as much as one that is, so the words say to clear the field,
 * not to correct it. Pointed at the time-travel form's field, which shows it.
 */
export const misplacedClock = (
  clock: ChangesClock,
  query: { asOf?: unknown; effectiveOn?: unknown },
): { field: 'asOf' | 'effectiveOn'; text: string } | undefined => {
  if (clock === 'recorded' && given(query.asOf) !== undefined)
    return {
      field: 'asOf',
      text:
        'As the ledger recorded it, the plan is compared as the ledger stood at from and at to, not at another date of ' +
        'what the ledger said: clear that date, or compare by the dates things happened',
    };
  if (clock === 'effective' && given(query.effectiveOn) !== undefined)
    return {
      field: 'effectiveOn',
      text:
        'By the dates things happened, the plan is compared as things stood on from and on to, not on another date of ' +
        'what was true: clear that date, or compare as the ledger recorded it',
    };
  return undefined;
};

/**
 * The mark the page's comparison form sends with the page's own clocks. The form sends both (it
 * cannot know which way of comparing will be chosen), and the page keeps the one that goes with
 * the clock chosen and sets the other aside (`addressWithClocksThatFit`); typed into an address
 * without the mark, a clock that does not go is refused (`misplacedClock`), as the API refuses it.
 */
export const FORM_CLOCKS = 'pageClocks';

/**
 * The address a sent comparison form stands for: the plan's changes page (`path`, made of the plan's
 * own id), with the request's query without the mark, and without the page's clock that does not go
 * with the clock chosen (on the ledger clock `asOf`, on the business clock `effectiveOn`; anything
 * but `effective` compares on the ledger clock, as changesWindow reads it).
 */
export const addressWithClocksThatFit = (path: string, url: string, clock: unknown): string =>
  pathWithQueryWithout(path, url, [FORM_CLOCKS, clock === 'effective' ? 'effectiveOn' : 'asOf']);

/**
 * What changesView refused, in words for the person and the field to put right, or undefined for
 * any other error. A window the wrong way round names both dates; a business date after today, or
 * after the date the ledger is read at, is the field of the end the view named (`to`, or `from`); on
 * the ledger clock a "what was true on" date after the day of from (whichever end the view named:
 * from is the earlier) is that field's.
 */
export const changesRefusal = (error: unknown, window: ChangesWindow): { field: string; text: string } | undefined => {
  if (!(error instanceof ReadRequestError)) return undefined;
  if (error.code === 'invalid-window') {
    // By the dates things happened a month is read at its last day, so August 2017 is after 15 August 2017: say why.
    const asRead = (end: string) =>
      window.clock === 'effective' && end.length === 7 ? `${end}, read as its last day, ${lastDayOf(end)}` : end;
    return { field: 'from', text: `From (${asRead(window.input.from)}) must not be after to (${asRead(window.input.to)})` };
  }
  // On the business clock either end may be the one refused (from, a day still to come in the month to names).
  const end = error.parameter === 'from' ? 'from' : 'to';
  if (window.clock === 'effective' && error.code === 'effective-on-in-future')
    return { field: end, text: `${capitalised(end)} must be today or earlier` };
  if (window.clock === 'effective' && error.code === 'effective-on-after-as-of')
    return { field: end, text: `${capitalised(end)} must not be after the date the ledger said it at` };
  if (window.clock === 'recorded' && error.code === 'effective-on-after-as-of')
    return {
      field: 'effectiveOn',
      text: 'What was true on must not be after from: the ledger, as it stood at the end of from, knew nothing of it',
    };
  return { field: 'from', text: error.message };
};

/**
 * Both ends on the ledger clock with any still to come (the end of today, hours away) read as the ledger time now, and
 * worded so, as the API reads and names them: named by a moment not reached, the page would say a state of the ledger
 * not reached, and show other content later under the same words. A window the wrong way round is left as asked, for
 * changesView to refuse naming those dates.
 */
export const endsNoLaterThan = (ends: NonNullable<ChangesWindow['ends']>, now: string): NonNullable<ChangesWindow['ends']> => {
  if (ends.from.point > ends.to.point) return ends;
  const atMost = (end: WindowEnd): WindowEnd => {
    if (end.point <= now) return end;
    const words = `now (${exactInstant(now)})`;
    return { point: now, value: now, words, date: words, by: `by ${words}` };
  };
  return { from: atMost(ends.from), to: atMost(ends.to) };
};
