import { findDate } from './dates.ts';

/**
 * The column header row, in whatever order a plan gives it. Each header cell is read
 * into a role by what it says; a progress column may carry its date
 * ("Progress Update 15/08/22"), which then dates every update in that column.
 */
export type ColumnRole = 'ref' | 'action' | 'timescale' | 'lead' | 'outcomes' | 'rag' | 'progress' | 'recommendation';

export interface Column {
  role: ColumnRole | 'unknown';
  label: string;
  /** A date written in the header itself ("Progress Update 15/08/22"). */
  date?: string | undefined;
}

const LABELS: [ColumnRole, RegExp][] = [
  ['ref', /^(?:no|number|ref|reference|item|id|#|action (?:no|number|ref)|rec(?:ommendation)? (?:no|number|ref))$/],
  ['rag', /^(?:rag|rag status|rag rating|status|rag rating status|red amber green|brag|rag \(red amber green\))$/],
  ['progress', /^(?:progress|progress update|progress updates|update|updates|comments|progress to date|current position|progress and evidence|progress comments|evidence of progress|latest update)$/],
  ['recommendation', /^(?:recommendation|recommendations|recommendation text|finding|findings)$/],
  ['action', /^(?:action|actions|action\(s\)|action required|actions required|actions to be taken|action to be taken|what will be done|planned action|agreed action|actions agreed)$/],
  ['timescale', /^(?:timescale|timescales|timeframe|deadline|deadlines|due|due date|target date|by when|completion date|target completion date|date due|when)$/],
  ['lead', /^(?:led by|lead|leads|lead\(s\)|owner|owners|responsible|responsible lead|responsible person|accountable|accountable lead|lead organisation|lead agency|who|by whom)$/],
  ['outcomes', /^(?:outcome|outcomes|intended outcome|intended outcomes|expected outcome|expected outcomes|measure of success|measures of success|success criteria|outcome measures|expected impact)$/],
];

/** The label with its date removed and punctuation folded, for matching. */
const fold = (label: string) =>
  label
    .toLowerCase()
    .replace(/\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g, '')
    .replace(/\b(?:as (?:at|of)|dated?)\b/g, '')
    .replace(/[^a-z0-9()#/ ]+/g, ' ')
    .replace(/\bfor\b.*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*\/\s*/g, ' ');

export const readColumn = (label: string): Column => {
  const text = label.trim();
  const folded = fold(text);
  const role = LABELS.find(([, pattern]) => pattern.test(folded))?.[0];
  const date = findDate(text);
  return { role: role ?? 'unknown', label: text, ...(date?.kind === 'date' && role === 'progress' ? { date: date.date } : {}) };
};

const SHORT_LABEL = (text: string) => text.trim() !== '' && !text.includes('\u0000') && !text.includes('\n') && text.length <= 60 && !/^\d/.test(text) && !/[.!?]\s/.test(text);

/**
 * A header row is the longest run of short one-line cells starting at `start` that
 * holds at least two recognised column labels, an action or recommendation column
 * among them, and no more unrecognised labels than recognised ones (an unrecognised
 * one, such as "Evidence", is kept as an unknown column whose cells are reported).
 */
export const readHeader = (texts: string[], start: number): Column[] | undefined => {
  const columns: Column[] = [];
  for (let i = start; i < texts.length && SHORT_LABEL(texts[i]!); i++) columns.push(readColumn(texts[i]!));
  while (columns.length > 0 && columns.at(-1)!.role === 'unknown') columns.pop();
  const known = columns.filter((c) => c.role !== 'unknown');
  if (known.length < 2 || known.length * 2 < columns.length) return undefined;
  if (!known.some((c) => c.role === 'action' || c.role === 'recommendation')) return undefined;
  if (columns[0]!.role === 'unknown') return undefined;
  return columns;
};
