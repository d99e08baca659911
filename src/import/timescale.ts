import type { Due } from '../../events/business-date.ts';
import { fullYear, MONTH_NAME, readDate, type DateReading } from './dates.ts';
import { readQuarter } from './quarter.ts';
import { readSeason } from './season.ts';

/**
 * One timescale as a plan writes it, read into a Due:
 * - "October 2015", "End July 2015", "by end of Sept 2017" → the month, precision month;
 * - "15/08/2022" → the day;
 * - "Ongoing" → ongoing; "As per Suicide Prevention Action Plan" → undated, wording kept;
 * - "31 September 2020" → no date and a warning: the day does not exist, and guessing
 *   30 September or 1 October would put words in the plan's mouth;
 * - "Q1 2016/17" → end of June 2016 (NHS financial quarters start in April);
 *   "Q1 2016" → end of March 2016 (calendar quarter) with a warning, since an NHS
 *   author may have meant the financial quarter (end of June 2016);
 * - "2016/17", "2016-17", "FY 16/17" → end of March 2017 (the financial year's end); "Q4 18/19" → March 2019;
 *   "16/17" alone is no date (as likely month/year), and "2011-12", a real month, is read as December 2011, warned;
 *   "2016" alone → December 2016, warned.
 * - "2018/19 Q1" → as "Q1 2018/19" (quarter.ts);
 * - "Summer 2018", "Winter 18/19", "Spring/Summer 2018", "Autumn term 2018" → the season's or term's last month (season.ts), warned;
 * - "Apr-Jun 2018" → June 2018, the end of the months named; "Qtr 2 2018/19", "Financial year 2018/19" as "Q2", "FY";
 * - "April 2018 onwards", "From April 2018", "Started April 2018", "Q1 2018/19 onwards" → ongoing, warned: they name when the work
 *   starts and no end, so no deadline is recorded; the warning says so, since an author may have meant "in place by";
 *   "By March 2019 then ongoing" → March 2019: a deadline, with the work going on after it.
 * The wording is always kept on the Due.
 */
export interface TimescaleReading {
  due: Due;
  warning?: { code: string; message: string };
}

const LEAD_IN =
  /^(?:(?:by|before|no later than|due|deadline|target)\s*:?\s*)?(?:the\s+)?(?:end\s+of|end|close\s+of|during|in)?\s*(?:the\s+)?/i;
const ONGOING = /^(?:ongoing|on-going|continuous|continual|continuing|rolling|business as usual|bau)\b/i;
// A financial year may be written with two-digit years after "FY" ("FY 18/19"); a lone two-digit year is no year, and
// a bare "12/13" is as likely December 2013 as the financial year 2012/13. Quarters are read in quarter.ts.
const FINANCIAL_YEAR = /^(?:(?:fy|financial\s+year)\s*(\d{4}|\d{2})|(\d{4}))\s*[/-]\s*(\d{2}|\d{4})$/i;
/** "2011-12": a month as written ("YYYY-MM"), and a financial year's years as well. */
const MONTH_OR_FINANCIAL_YEAR = /^(\d{4})-(\d{2})$/;
const YEAR = /^(\d{4})$/;
/** A year, a day in figures, or a month with a two-digit year ("Sept 17 onwards"): a date the reader may have missed. */
const LOOKS_DATED = new RegExp(
  `\\b(?:19|20)\\d{2}\\b|\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}|\\b${MONTH_NAME}\\.?[\\s\\-/']+'?\\d{2}\\b|\\b\\d{2}\\s*/\\s*\\d{2}\\b`,
  'i',
);
/** "From April 2018", "Starting 1st April 2018 onwards": a start with no end; group 1 is the start. */
const FROM_START =
  /^(?:from|starting(?:\s+(?:from|in))?|started(?:\s+(?:in|on))?|commencing|commenced(?:\s+(?:in|on))?|beginning|began(?:\s+in)?|start(?:ing)?\s*:)\s+(.+?)(?:\s*[-–—,]?\s*(?:onwards?|and\s+(?:ongoing|beyond)|ongoing))?$/i;
/** "April 2018 onwards", "Jan 2019 and ongoing", "Sept 17 – ongoing": group 1 is the start. */
const START_ONWARDS = /^(.+?)\s*(?:onwards?|(?:and|&)\s+(?:then\s+)?(?:ongoing|beyond)|(?:[-–—,]|then)\s*ongoing)$/i;
const RANGE = /^(.+?)\s*(?:–|—|-|\bto\b|\buntil\b|\bthrough\b)\s*(.+)$/i;
/** "Apr-Jun 2018", "April – June 2018": months of one year, the year written once at the end. */
const MONTH_RANGE = new RegExp(`^${MONTH_NAME}\\.?\\s*(?:–|—|-|to)\\s*(${MONTH_NAME}\\.?\\s+(?:\\d{4}|'?\\d{2}))$`, 'i');

const month = (year: number, m: number) => `${year}-${String(m).padStart(2, '0')}`;

/** "2016/17", "2017-18", "FY 18/19": a financial year, due at its end in March; undefined if the years do not follow on. */
const financialYearEnd = (core: string): string | undefined => {
  const fy = FINANCIAL_YEAR.exec(core);
  const start = fy?.[1] ?? fy?.[2];
  if (!fy || !start || Number(fy[3]!.slice(-2)) !== (Number(start.slice(-2)) + 1) % 100) return undefined;
  return month(fullYear(start) + 1, 3);
};

const openEnded = (wording: string, start?: string) => ({
  warning: {
    code: 'timescale-open-ended',
    message:
      // Without a start read ("Ongoing until March 2019", "Ongoing, reviewed 2018"), the date may be an end or neither: not said which.
      (start ? `"${wording}" names a start (${start}) and no end` : `"${wording}" is ongoing and names a date`) +
      `: recorded as ongoing, with no deadline, wording kept; if the plan meant the work to be done by then, give that as its deadline`,
  },
});

/** "By March 2019 then ongoing": a deadline, the work going on after it; the date is when it is due, not a start. */
const DEADLINE = /^(?:by|before|no later than|due|deadline|target|end(?:\s+of)?|close of)\b/i;

/**
 * A start as a date, or a quarter ("Q1 2018/19 onwards" starts in April 2018); `end` is when it is over, the deadline of
 * "By Q4 2018/19 then ongoing" (March 2019), which for a date is the date itself.
 */
const readStart = (text: string): (DateReading & { end?: string; financialEnd?: string }) | undefined => {
  const date = readDate(text);
  if (date) return date;
  const quarter = readQuarter(text.trim());
  return quarter
    ? { kind: 'date', date: quarter.start, end: quarter.end, ...(quarter.financialEnd ? { financialEnd: quarter.financialEnd } : {}) }
    : undefined;
};

/** "April 2018 onwards", "From April 2018": ongoing from a date the importer can read, else undefined. */
const readOpenEnded = (wording: string): TimescaleReading | undefined => {
  const text = wording.replace(/[.;,]+$/, '');
  const start = (FROM_START.exec(text) ?? START_ONWARDS.exec(text))?.[1];
  const reading = start === undefined ? undefined : readStart(start.replace(LEAD_IN, ''));
  if (reading?.kind === 'impossible')
    return {
      due: { kind: 'undated', wording },
      warning: { code: 'impossible-date', message: `"${wording}" is not a real date; recorded without a date, wording kept` },
    };
  if (reading && DEADLINE.test(start!.trim())) {
    const due = { kind: 'date' as const, date: reading.end ?? reading.date, wording };
    // "By Q1 2018 then ongoing" is a calendar quarter as written, but may have meant the financial one, as "By Q1 2018" may.
    if (reading.kind === 'date' && reading.financialEnd)
      return {
        due,
        warning: {
          code: 'ambiguous-quarter',
          message:
            `"${wording}" read as a calendar quarter (due ${due.date}); ` +
            `if the plan meant the NHS financial quarter it is ${reading.financialEnd}`,
        },
      };
    return { due };
  }
  return reading ? { due: { kind: 'ongoing', wording }, ...openEnded(wording, reading.date) } : undefined;
};

export const readTimescale = (raw: string): TimescaleReading => {
  const wording = raw.trim().replace(/\s+/g, ' ');
  if (wording === '')
    return {
      due: { kind: 'undated', wording: 'Not stated' },
      warning: { code: 'timescale-missing', message: 'no timescale given; recorded as undated "Not stated"' },
    };
  if (ONGOING.test(wording)) return { due: { kind: 'ongoing', wording }, ...(LOOKS_DATED.test(wording) ? openEnded(wording) : {}) };
  const open = readOpenEnded(wording);
  if (open) return open;
  const core = wording
    .replace(LEAD_IN, '')
    .replace(/[.;,]+$/, '')
    .trim();

  const date = readDate(core);
  if (date?.kind === 'date') {
    // "2011-12" is December 2011 as written, as it always was; but its years follow on, so say what else it may be.
    const both = MONTH_OR_FINANCIAL_YEAR.exec(core);
    const start = Number(both?.[1]);
    if (!both || Number(both[2]) !== (start + 1) % 100) return { due: { kind: 'date', date: date.date, wording } };
    return {
      due: { kind: 'date', date: date.date, wording },
      warning: {
        code: 'timescale-may-be-financial-year',
        message:
          `"${wording}" read as the month ${date.date}; if the plan meant the financial year ${start}/${both[2]}, ` +
          `it ends in March ${start + 1} (${month(start + 1, 3)})`,
      },
    };
  }
  // "2017-18" is no month 18 but the financial year 2017/18.
  const fy = financialYearEnd(core);
  if (fy) return { due: { kind: 'date', date: fy, wording } };
  if (date?.kind === 'impossible')
    return {
      due: { kind: 'undated', wording },
      warning: { code: 'impossible-date', message: `"${wording}" is not a real date; recorded without a date, wording kept` },
    };

  // "April 2016 – March 2017", "From April 2018 to March 2019": a period; the work is due by its end.
  const range = RANGE.exec(core);
  const end = range ? readDate(range[2]!.replace(LEAD_IN, '')) : undefined;
  if (range && readDate(range[1]!.replace(/^from\s+/i, ''))?.kind === 'date' && end?.kind === 'date')
    return { due: { kind: 'date', date: end.date, wording } };
  const months = MONTH_RANGE.exec(core);
  const last = months ? readDate(months[1]!) : undefined;
  if (last?.kind === 'date') return { due: { kind: 'date', date: last.date, wording } };

  const quarter = readQuarter(core);
  if (quarter?.financialEnd)
    return {
      due: { kind: 'date', date: quarter.end, wording },
      warning: {
        code: 'ambiguous-quarter',
        message:
          `"${wording}" read as a calendar quarter (due ${quarter.end}); ` +
          `if the plan meant the NHS financial quarter it is ${quarter.financialEnd}`,
      },
    };
  if (quarter) return { due: { kind: 'date', date: quarter.end, wording } };
  const season = readSeason(core, wording);
  if (season) return { due: { kind: 'date', date: season.date, wording }, warning: { code: 'season-timescale', message: season.message } };
  const year = YEAR.exec(core);
  if (year)
    return {
      due: { kind: 'date', date: month(Number(year[1]), 12), wording },
      warning: { code: 'year-only-timescale', message: `"${wording}" gives only a year; recorded as due by December ${year[1]}` },
    };
  // Words, not a date: "As per Suicide Prevention Action Plan", "TBC". Kept as written.
  const looksDated = LOOKS_DATED.test(wording);
  return {
    due: { kind: 'undated', wording: wording.slice(0, 500) },
    ...(looksDated
      ? {
          warning: {
            code: 'timescale-not-understood',
            message: `timescale "${wording}" mentions a date but is not one the importer can read; recorded as undated, wording kept`,
          },
        }
      : {}),
  };
};

/** "Revised to March 2018", "Revised: March 2018", "Extended to …", "New date …" → the new timescale's text. */
const REVISION =
  /^(?:\(?\s*(?:revised|amended|extended|changed|moved|rescheduled|re-?profiled|new\s+(?:date|deadline|timescale))\b(?:\s+(?:date|deadline|timescale))?\s*(?:to|until|:|-|–)?\s*)(.+?)\)?$/i;

export const readRevisionLine = (line: string): string | undefined => REVISION.exec(line.trim())?.[1];
