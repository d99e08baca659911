import { fullYear } from './dates.ts';

/**
 * A quarter as a plan writes it: "Q1 2016/17", "Qtr 2 2018/19", "Q4 18/19" (an NHS financial quarter: the year starts
 * in April), "Q1 2016" (a calendar quarter, as written, though an NHS author may have meant the financial one), and the
 * same with the year first ("2018/19 Q1", "2016 Q1"), as trackers sort them.
 */
export interface QuarterReading {
  /** The quarter's first and last months, "YYYY-MM". */
  start: string;
  end: string;
  /** Set for a calendar quarter: the last month of the financial quarter of the same name, the other reading. */
  financialEnd?: string;
}

// A financial year may be written with two-digit years after "Q4" ("Q4 18/19"); a lone two-digit year is no year.
const QUARTER = /^(?:q|qtr\.?\s*|quarter\s*)([1-4])\s*(?:of\s+)?(\d{4}|\d{2}(?=\s*[/-]\s*\d{2}$))(?:\s*[/-]\s*(\d{2}|\d{4}))?$/i;
/** "2018/19 Q1", "2016 Q1": the year first; read as the quarter written the other way round. */
const YEAR_FIRST = /^(\d{4}(?:\s*[/-]\s*(?:\d{2}|\d{4}))?|\d{2}\s*[/-]\s*\d{2})\s*,?\s+((?:q|qtr\.?\s*|quarter\s*)[1-4])$/i;

const month = (year: number, m: number) => `${year}-${String(m).padStart(2, '0')}`;

export const readQuarter = (core: string): QuarterReading | undefined => {
  const reversed = YEAR_FIRST.exec(core);
  const m = QUARTER.exec(reversed ? `${reversed[2]} ${reversed[1]}` : core);
  if (!m) return undefined;
  const q = Number(m[1]);
  const year = fullYear(m[2]!);
  // Financial year April–March: Q1 is April–June, Q2 July–September, Q3 October–December, Q4 January–March of the next year.
  const financial = {
    start: q === 4 ? month(year + 1, 1) : month(year, q * 3 + 1),
    end: q === 4 ? month(year + 1, 3) : month(year, q * 3 + 3),
  };
  if (m[3]) return financial;
  return { start: month(year, q * 3 - 2), end: month(year, q * 3), financialEnd: financial.end };
};
