import { findDate, type DateReading } from './dates.ts';

/**
 * What a status cell says, in any case and spacing: a RAG colour, or a status word —
 * "Complete" (perhaps with a detail and a date after it: "Complete – policy ratified
 * 12/03/2019"), "In progress", "Ongoing", "Not started", "Withdrawn". A cell that is
 * neither is a narrative, and the caller keeps it as one.
 */
export type StatusReading =
  | { kind: 'completed'; detail?: string | undefined; date?: DateReading | undefined; wording: string }
  | { kind: 'withdrawn'; detail?: string | undefined; wording: string }
  /** Reported as is: a colour ("Amber") or a word of progress ("In progress"). */
  | { kind: 'reported'; rating: string };

export const RAG_COLOURS =
  '(?:red|amber|green|blue|grey|gray|black|purple|white|yellow|' +
  'red\\s*/\\s*amber|amber\\s*/\\s*green|green\\s*/\\s*amber|amber\\s*/\\s*red)';
const COLOUR = new RegExp(`^${RAG_COLOURS}$`, 'i');
/** "Amber", "red/amber": a colour, not a word of progress. */
export const isRagColour = (rating: string): boolean => COLOUR.test(rating.trim());
const PROGRESS_WORDS =
  /^(in[\s-]*progress|on[\s-]*going|not[\s-]*(?:yet[\s-]*)?started|on[\s-]*track|off[\s-]*track|delayed|behind(?:\s+schedule)?|at[\s-]*risk|overdue|open|partially[\s-]*(?:complete|completed|met)|started|planned|not[\s-]*due)$/i;
const COMPLETE = /^(?:action\s+)?(?:complete|completed|done|achieved|closed|met|fully[\s-]*met|finished)\b\s*[.!:;,–—-]*\s*([\s\S]*)$/i;
const WITHDRAWN = /^(?:action\s+)?withdrawn\b\s*[.!:;,–—-]*\s*([\s\S]*)$/i;

/** "in  PROGRESS" → "In progress": a status word as one would write it. */
const tidy = (word: string) => {
  const spaced = word
    .replace(/[\s-]+/g, ' ')
    .trim()
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

export const readStatus = (text: string): StatusReading | undefined => {
  const value = text.replace(/\s+/g, ' ').trim();
  if (value === '') return undefined;
  if (COLOUR.test(value)) return { kind: 'reported', rating: value.charAt(0).toUpperCase() + value.slice(1).toLowerCase() };
  if (PROGRESS_WORDS.test(value)) return { kind: 'reported', rating: tidy(value) };
  const complete = COMPLETE.exec(value);
  // "Completed by the ward team in 2019" is a narrative; a status is the word, maybe a short detail and a date.
  if (complete && complete[1]!.length <= 300) {
    const detail = complete[1]!.replace(/^(?:on|in)\s+/i, '').trim();
    return { kind: 'completed', wording: value, ...(detail ? { detail, date: findDate(detail) } : {}) };
  }
  const withdrawn = WITHDRAWN.exec(value);
  if (withdrawn && withdrawn[1]!.length <= 300)
    return { kind: 'withdrawn', wording: value, ...(withdrawn[1] ? { detail: withdrawn[1] } : {}) };
  return undefined;
};
