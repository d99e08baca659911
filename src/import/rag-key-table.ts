import { readLegendLine, type LegendEntry } from './rag-legend.ts';
import { isRagColour } from './status-words.ts';

/**
 * A RAG key laid out as a table, as trackers keep it: on a sheet of its own, in a table of its own, or under the
 * plan's table. A row of it gives a colour and what it means ("Green" | "Complete"), or says so in one cell ("Green =
 * complete"); a row of labels ("RAG" | "Meaning", or "Key") heads it. It is the plan's RAG legend (rag-legend.ts),
 * never actions.
 */
const KEY_LABEL = /^(?:rag|rag\s+(?:key|rating|rating\s+key|status|legend)|key|legend|colour|color|rating|status)\s*:?$/i;
const MEANING_LABEL = /^(?:meaning|description|definition|definitions|what\s+it\s+means|criteria|status)\s*:?$/i;

export type KeyRow = { entries: LegendEntry[] } | 'label' | undefined;

/** A meaning says something in words: a colour beside a number ("Red" | "3", "Green" | "45%") is a count of a summary. */
const saysInWords = (meaning: string) => /\p{L}/u.test(meaning);

/** A row's filled cells, in order: a row of the key, its label row, or neither. */
export const readKeyRow = (texts: string[]): KeyRow => {
  const [first, second] = texts.map((t) => t.replace(/\s+/g, ' ').trim());
  if (texts.length === 1) {
    if (KEY_LABEL.test(first!)) return 'label';
    const entries = readLegendLine(first!);
    return entries?.every((e) => saysInWords(e.meaning)) ? { entries } : undefined;
  }
  if (texts.length !== 2) return undefined;
  if (KEY_LABEL.test(first!) && MEANING_LABEL.test(second!)) return 'label';
  if (isRagColour(first!) && !isRagColour(second!) && saysInWords(second!) && second!.length <= 300)
    return { entries: [{ rating: first!.charAt(0).toUpperCase() + first!.slice(1).toLowerCase(), meaning: second! }] };
  return undefined;
};

/** The key's entries when every filled row is a row of a key and at least one gives a colour; else undefined. */
export const readKeyRows = (rows: string[][]): LegendEntry[] | undefined => {
  const filled = rows.filter((r) => r.length > 0);
  const read = filled.map(readKeyRow);
  if (read.length === 0 || read.some((r) => r === undefined)) return undefined;
  const entries = read.flatMap((r) => (r === 'label' || r === undefined ? [] : r.entries));
  return entries.length > 0 ? entries : undefined;
};
