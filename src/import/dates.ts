import { isRealCalendarDate } from '../../events/business-date.ts';

/**
 * Dates as action plans write them: "October 2015", "Sept 2017", "AUG 2017",
 * "15/08/22", "02/2019", "31 September 2020". A date that does not exist is reported, never
 * rolled over; a two-digit year is this century (plans predate 2000 rarely enough
 * that a 1990s plan will say so with four digits).
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Matches a month name or its usual abbreviations ("Sept", "Aug."), case-insensitively. */
export const MONTH_NAME =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|' +
  'sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';

export const monthNumber = (name: string): number | undefined => {
  const index = MONTHS.indexOf(name.toLowerCase().slice(0, 3));
  return index < 0 ? undefined : index + 1;
};

const pad = (n: number) => String(n).padStart(2, '0');

export const fullYear = (year: string): number => (year.length === 2 ? 2000 + Number(year) : Number(year));

export type DateReading =
  | { kind: 'date'; date: string }
  /** Looked like a date but names no real day (31 September): the caller warns and records no date. */
  | { kind: 'impossible'; wording: string };

/** "October 2015", "Oct-15", "Sept 2017" → "2015-10" (month precision). */
export const readMonthYear = (monthName: string, year: string): string | undefined => {
  const month = monthNumber(monthName);
  return month === undefined ? undefined : `${fullYear(year)}-${pad(month)}`;
};

/** A day, month and year → "YYYY-MM-DD", or impossible when the calendar has no such day. */
export const readDay = (day: number, month: number, year: number, wording: string): DateReading => {
  const date = `${year}-${pad(month)}-${pad(day)}`;
  return isRealCalendarDate(date) ? { kind: 'date', date } : { kind: 'impossible', wording };
};

const NUMERIC_DAY = /^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$/;
const WORDED_DAY = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_NAME})\\.?,?\\s+(\\d{4}|\\d{2})$`, 'i');
/**
 * "March 12, 2018", "March 12 2018", "June 30th 18": the month first, as some authors and templates write it; "March 12"
 * alone is no date here, nor "Jun 30 18" (30 June 2018, or June 2030 and a figure: see ambiguousDatePrefix).
 */
const MONTH_FIRST_DAY = new RegExp(
  `^(${MONTH_NAME})\\.?\\s+(\\d{1,2})(?:(?:st|nd|rd|th)?(?:,\\s*|\\s+)(\\d{4})|(?:st|nd|rd|th),?\\s+(\\d{2}))$`,
  'i',
);
const MONTH_YEAR = new RegExp(`^(${MONTH_NAME})\\.?[\\s\\-/']+'?(\\d{4}|\\d{2})$`, 'i');
const ISO = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;
/**
 * "02/2019": a month and a year of this century or the last, as trackers write a month in figures. Not with a point:
 * "3.1500 leaflets", "1.2000 staff" are counts, not March 1500 or January 2000.
 */
const NUMERIC_MONTH = /^(\d{1,2})\/((?:19|20)\d{2})$/;

/** Reads a whole string as one date (UK day-first for numeric days), or undefined if it is not one. */
export const readDate = (text: string): DateReading | undefined => {
  const value = text.trim().replace(/\s+/g, ' ');
  let m = NUMERIC_DAY.exec(value);
  if (m) return readDay(Number(m[1]), Number(m[2]), fullYear(m[3]!), value);
  m = WORDED_DAY.exec(value);
  if (m) return readDay(Number(m[1]), monthNumber(m[2]!)!, fullYear(m[3]!), value);
  m = MONTH_FIRST_DAY.exec(value);
  if (m) return readDay(Number(m[2]), monthNumber(m[1]!)!, fullYear(m[3] ?? m[4]!), value);
  m = MONTH_YEAR.exec(value);
  if (m) return { kind: 'date', date: readMonthYear(m[1]!, m[2]!)! };
  m = NUMERIC_MONTH.exec(value);
  if (m) {
    const date = `${m[2]}-${pad(Number(m[1]))}`;
    return isRealCalendarDate(date) ? { kind: 'date', date } : { kind: 'impossible', wording: value };
  }
  m = ISO.exec(value);
  if (m) {
    const date = m[3] ? `${m[1]}-${m[2]}-${m[3]}` : `${m[1]}-${m[2]}`;
    return isRealCalendarDate(date) ? { kind: 'date', date } : { kind: 'impossible', wording: value };
  }
  return undefined;
};

/**
 * A date at the very start of an update paragraph: "AUG 2017 The pilot …",
 * "AUG 2017: Individual …", "15/08/22 – The Trust …". Returns the date and the rest.
 */
const PREFIX = new RegExp(
  `^\\s*[(\\[]?\\s*(?:update\\s*[:\\-–]?\\s*)?(` +
    `\\d{1,2}[/.]\\d{1,2}[/.](?:\\d{4}|\\d{2})` +
    `|\\d{1,2}\\/(?:19|20)\\d{2}` +
    `|\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH_NAME}\\.?,?\\s+(?:\\d{4}|\\d{2})` +
    // Before month-and-year, which would read "March 12, 2018" as March 2012 and leave "2018" in the text: the month, its
    // day with "th" or a comma, and the year are that day, as a US-style date is written ("June 30th 18", "June 30,2018" too).
    `|${MONTH_NAME}\\.?\\s+\\d{1,2}(?:(?:(?:st|nd|rd|th)?,\\s*|(?:st|nd|rd|th)\\s+)\\d{4}|(?:st|nd|rd|th),?\\s+\\d{2})` +
    // A month and a two-digit year, but not one with a year or another two-digit figure after it, a comma between or
    // not ("June 30, 18" is as likely 30 June 2018 as "Jun 30 18"): "June 30 2018" is
    // 30 June 2018 without its comma or June 2030 and a figure, as "AUG 17 2000 leaflets sent" is August 2017 and a
    // count or 17 August 2000; each is left to ambiguousDatePrefix rather than guessed.
    `|${MONTH_NAME}\\.?[\\s\\-/']+'?(?:\\d{4}|\\d{2}(?!(?:\\s*,\\s*|\\s+)(?:\\d{2}|(?:19|20)\\d{2})(?=$|[\\s:;,.\\-–—)\\]])))` +
    `|\\d{4}-\\d{2}(?:-\\d{2})?` +
    `)(?=$|[\\s:;,.\\-–—)\\]])\\s*[)\\]]?\\s*[:;,.\\-–—)]?\\s*`,
  'i',
);

/** `written`: the date as the paragraph wrote it ("March 2019", "June 12"), for a warning that names it. */
export const readDatePrefix = (text: string): { reading: DateReading; rest: string; written: string } | undefined => {
  const m = PREFIX.exec(text);
  if (!m) return undefined;
  const reading = readDate(m[1]!);
  return reading ? { reading, rest: text.slice(m[0].length).replace(/^(?:update|progress)\s*[:\-–—]\s*/i, ''), written: m[1]! } : undefined;
};

/**
 * "Jun 30 18 – met with police", "June 30 2018 – met with police", "AUG 17 2000 leaflets sent": a month, a day or a
 * two-digit year, and a year or a two-digit figure opening a paragraph. Each is as likely a day written month first
 * (30 June 2018, 17 August 2000) as a month and year followed by a figure (June 2030, August 2017), so it is not read
 * as either: the wording is returned for the caller to warn about.
 */
const AMBIGUOUS_PREFIX = new RegExp(
  `^\\s*[(\\[]?\\s*(?:update\\s*[:\\-–]?\\s*)?` +
    `(${MONTH_NAME}\\.?\\s+\\d{1,2}(?:\\s*,\\s*|\\s+)(?:(?:19|20)\\d{2}|\\d{2}))(?=$|[\\s:;,.\\-–—)\\]])`,
  'i',
);

export const ambiguousDatePrefix = (text: string): string | undefined =>
  readDatePrefix(text) === undefined ? AMBIGUOUS_PREFIX.exec(text)?.[1] : undefined;

/** The first date written anywhere in a short string ("Progress Update 15/08/22" → 2022-08-15). */
export const findDate = (text: string): DateReading | undefined => {
  const words = text.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    for (const span of [3, 2, 1]) {
      const candidate = words
        .slice(i, i + span)
        .join(' ')
        .replace(/[()[\],:;]+$/g, '')
        .replace(/^[([]/, '');
      const reading = candidate ? readDate(candidate) : undefined;
      if (reading) return reading;
    }
  }
  return undefined;
};

/** The earlier/later of two business dates, comparing the days they begin on. */
export const earlier = (a: string, b: string): string => (a.padEnd(10, '-00') <= b.padEnd(10, '-00') ? a : b);
export const later = (a: string, b: string): string => (earlier(a, b) === a ? b : a);
