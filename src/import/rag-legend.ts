import { RAG_COLOURS } from './status-words.ts';

/**
 * A plan's RAG legend, from a line in its preamble: "Red = not started", or several on
 * one line: "Red – not started, Amber – in progress, Green – completed, Blue – closed or
 * merged into another action". Each rating then carries its meaning, and a meaning can
 * close an action: a colour that means completed is a completion, one that means merged
 * (with the action it merged into named) a subsumption.
 */
export interface LegendEntry {
  rating: string;
  meaning: string;
}

export type LegendSense = 'completed' | 'merged' | 'withdrawn' | 'open';

const ENTRY = new RegExp(`(?:^|[\\s,;.(])(${RAG_COLOURS}|[RAGB])\\s*(?:=|:|-|–|—|means)\\s*`, 'gi');
const PREFIX = /^(?:rag\s+)?(?:key|legend|rag rating|rating|status)\s*[:=\-–]?\s*/i;

const capitalise = (rating: string) => rating.charAt(0).toUpperCase() + rating.slice(1).toLowerCase();

export const readLegendLine = (line: string): LegendEntry[] | undefined => {
  const text = line.replace(PREFIX, '').trim();
  const starts = [...text.matchAll(ENTRY)];
  if (starts.length === 0 || starts[0]!.index !== 0) return undefined;
  // Single letters ("R = …") only count in a line made of them, where no colour word is written.
  const letters = starts.every((m) => m[1]!.length === 1);
  const entries = starts
    .filter((m) => letters || m[1]!.length > 1)
    .map((m, i, all) => {
      const from = m.index! + m[0].length;
      const to = all[i + 1]?.index ?? text.length;
      const meaning = text
        .slice(from, to)
        .replace(/^[\s,;.]+|[\s,;.]+$/g, '')
        .trim();
      return { rating: capitalise(m[1]!), meaning };
    });
  return entries.length > 0 && entries.every((e) => e.meaning !== '' && e.meaning.length <= 300) ? entries : undefined;
};

export const legendSense = (meaning: string): LegendSense => {
  const m = meaning.toLowerCase();
  if (/\b(?:merged|subsumed|absorbed|superseded|incorporated|combined)\b/.test(m)) return 'merged';
  if (/\bwithdrawn\b/.test(m)) return 'withdrawn';
  if (
    /\b(?:not|nearly|almost|partially|partly)\s+(?:yet\s+)?(?:complete|completed|achieved|started|done)\b|\bincomplete\b|\bon track\b/.test(
      m,
    )
  )
    return 'open';
  if (/\b(?:complete|completed|achieved|done|closed|finished|delivered|met)\b/.test(m)) return 'completed';
  return 'open';
};

/** Whether the meaning says closed as well as merged ("closed or merged into another action"). */
export const alsoClosed = (meaning: string): boolean => /\b(?:closed|complete|completed)\b/i.test(meaning);
