import { findDate } from './dates.ts';

/**
 * The date a document speaks as of, from its title or preamble: "Updated March 2016",
 * "Progress update 15/08/22", "Position as at 1 April 2017", or a date in the title line.
 * A line that says it is an update ("updated", "as at", "progress", "reviewed") wins over
 * one that only says "date" ("Date agreed: May 2015"), which wins over a date that is
 * merely in the title. Impossible dates ("30 February 2019") are returned as such, so
 * the caller can flag them instead of dating anything by them.
 */
export interface DocumentDate {
  date?: string | undefined;
  /** The wording of a date that does not exist, when that is all the line gave. */
  impossible?: string | undefined;
  line: number;
}

const AS_OF = /\b(?:updated?|update|as\s+(?:at|of)|progress|position|reviewed|revised|refreshed|status)\b/i;
const DATED = /\b(?:date[ds]?|published|issued|version)\b/i;

export const findDocumentDate = (lines: { text: string; line: number }[], titleLine?: number): DocumentDate | undefined => {
  const candidates = lines.flatMap(({ text, line }) => {
    const reading = findDate(afterKeyword(text));
    if (!reading) return [];
    const rank = AS_OF.test(text) ? 0 : DATED.test(text) ? 1 : line === titleLine ? 2 : 3;
    return rank > 2 ? [] : [{ rank, line, reading }];
  });
  const best = candidates.sort((a, b) => a.rank - b.rank || a.line - b.line)[0];
  if (!best) return undefined;
  return best.reading.kind === 'date'
    ? { date: best.reading.date, line: best.line }
    : { impossible: best.reading.wording, line: best.line };
};

/** "Plan agreed May 2015, updated March 2016": the date after the keyword that says "as of", if there is one. */
const afterKeyword = (text: string): string => {
  const m = /\b(?:updated?|as\s+(?:at|of)|reviewed|revised|refreshed)\b/i.exec(text);
  return m && findDate(text.slice(m.index)) ? text.slice(m.index) : text;
};
