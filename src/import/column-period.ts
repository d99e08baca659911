import { findDate } from './dates.ts';
import { readTimescale } from './timescale.ts';

/**
 * The period a RAG column's heading names, so a tracker's "RAG Jun 2018", "RAG Sep 2018" or "Q3 2018/19 RAG" columns
 * can each be recorded as of their own date: a month or a day as written, a quarter at its last month, as a timescale
 * is read. "Q1 RAG" names no year, so no date.
 */
const QUARTER = /\b(?:q|quarter\s*)[1-4]\s*(?:of\s+)?(?:\d{4}\s*[/-]\s*\d{2,4}|\d{2}\s*[/-]\s*\d{2}|\d{4})\b/i;

/** Whether a heading's period is a quarter ("Q3 2018/19 RAG"), dated at its last month. */
export const namesQuarter = (label: string): boolean => QUARTER.test(label);

export const ratingColumnDate = (label: string): string | undefined => {
  const quarter = QUARTER.exec(label);
  if (quarter) {
    const due = readTimescale(quarter[0]).due;
    return due.kind === 'date' ? due.date : undefined;
  }
  const date = findDate(label);
  return date?.kind === 'date' ? date.date : undefined;
};
