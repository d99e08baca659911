import { ambiguousDatePrefix, readDatePrefix, type DateReading } from './dates.ts';
import type { ImportWarning } from './plan-document.ts';
import { readQuarter } from './quarter.ts';

/**
 * The date an update paragraph opens with: a day or a month ("AUG 2017 …", "15/08/22 – …", "June 30, 2018 – …"), or a
 * quarter ("Q2 2018/19: …", "Q2 2018: …"), which dates the update at its last month, as a RAG column headed with a
 * quarter is dated. A calendar quarter may have meant the financial one, and "Jun 30 18" or "June 30 2018" may be
 * 30 June 2018 or June 2030: each is warned about where a warnings list is given.
 */
export interface UpdateOpening {
  reading: DateReading;
  rest: string;
  /** The date as written ("March 2019", "Q3 2018/19"), for a warning that names it. */
  written: string;
  /** The quarter as written, when the date is its last month. */
  period?: string;
}

const QUARTER_PREFIX =
  /^\s*[([]?\s*(?:update\s*[:\-–]?\s*)?((?:q|qtr\.?\s*|quarter\s*)[1-4]\s*(?:of\s+)?(?:\d{4}\s*[/-]\s*\d{2,4}|\d{2}\s*[/-]\s*\d{2}|\d{4})|\d{4}\s*[/-]\s*\d{2,4}\s+q[1-4])(?=$|[\s:;,.\-–—)\]])\s*[)\]]?\s*[:;,.\-–—)]?\s*/i;

export const readUpdateOpening = (text: string, line?: number, warnings?: ImportWarning[]): UpdateOpening | undefined => {
  // The quarter first: "2018-19 Q2: …" opens with what would otherwise be read as a month that does not exist (2018-19).
  const m = QUARTER_PREFIX.exec(text);
  const quarter = m ? readQuarter(m[1]!.trim()) : undefined;
  if (m && quarter) {
    if (quarter.financialEnd)
      warnings?.push({
        code: 'ambiguous-quarter',
        line,
        message:
          `update dated "${m[1]}": read as a calendar quarter, effective ${quarter.end}; ` +
          `if the plan meant the NHS financial quarter it is ${quarter.financialEnd}`,
      });
    return { reading: { kind: 'date', date: quarter.end }, rest: text.slice(m[0].length), written: m[1]!.trim(), period: m[1]!.trim() };
  }
  const dated = readDatePrefix(text);
  if (dated) return dated;
  const ambiguous = ambiguousDatePrefix(text);
  if (ambiguous)
    warnings?.push({
      code: 'update-date-ambiguous',
      line,
      message:
        `update opening "${ambiguous}" may be a day written month first or a month and year followed by a figure; ` +
        `treated as undated. Write the day first ("30 June 2018"), the day with its comma ("June 30, 2018"), or the month ` +
        `and year alone ("June 2018:")`,
    });
  return undefined;
};
