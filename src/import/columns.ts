import { ratingColumnDate } from './column-period.ts';
import { findDate, MONTH_NAME } from './dates.ts';

/**
 * The column header row, in whatever order a plan gives it. Each header cell is read
 * into a role by what it says; a progress column may carry its date
 * ("Progress Update 15/08/22"), which then dates every update in that column, and a RAG column its period
 * ("RAG Sep 2018"), which dates its rating.
 */
export type ColumnRole =
  'ref' | 'action' | 'start' | 'timescale' | 'lead' | 'outcomes' | 'evidence' | 'rag' | 'progress' | 'recommendation';

export interface Column {
  role: ColumnRole | 'unknown';
  label: string;
  /** A date written in the header itself ("Progress Update 15/08/22"). */
  date?: string | undefined;
}

const LABELS: [ColumnRole, RegExp][] = [
  [
    'ref',
    /^(?:no|number|ref|ref no|reference|reference no|reference number|item|item no|id|#|rec|(?:action|rec|recommendation) (?:no|number|ref|#))$/,
  ],
  ['rag', /^(?:rag|brag|red amber green)\b|\brag(?: status| rating)?$|^(?:status|current status|overall status)$/],
  ['recommendation', /^(?:the )?(?:recommendations?|findings?)\b/],
  ['evidence', /^(?:evidence|evidence of (?:completion|progress|impact)|supporting evidence|evidence (?:provided|available))$/],
  ['progress', /\b(?:progress|updates?|comments?|current position|latest position|position statement)\b/],
  ['outcomes', /\b(?:outcomes?|success|measures?|impact|expected results?)\b/],
  ['lead', /\b(?:led by|leads?|lead\(s\)|owners?|owner\(s\)|responsible|responsibility|accountable|by whom|who)\b/],
  ['start', /^(?:start|start date|date started|started|commenced|from)$/],
  [
    'timescale',
    /^(?:end|finish|finish date|end by|completed by)$|\b(?:timescales?|timeframe|time frame|timeline|deadlines?|due|(?<!to )dates?|when|completion|by when)\b/,
  ],
  ['action', /\bactions?\b|\baction\(s\)|what will be done|what we will do/],
];

/** A month and year ("Jun 2018", "Sept-18") or a quarter ("Q3 2018/19") in a heading: its period, not its role. */
const PERIOD = new RegExp(`\\b${MONTH_NAME}\\.?[\\s\\-/']+'?\\d{2,4}\\b|\\bq[1-4](?:\\s*\\d{2,4}(?:\\s*[/-]\\s*\\d{2,4})?)?\\b`, 'g');

/** The label with its date removed and punctuation folded, for matching. */
const fold = (label: string) =>
  label
    .toLowerCase()
    .replace(/\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g, '')
    .replace(PERIOD, '')
    .replace(/\b(?:as (?:at|of)|dated)\b/g, '')
    // "Status (Sept-18)": the brackets that held the period hold nothing once it is gone.
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .replace(/[^a-z0-9()#/ ]+/g, ' ')
    .replace(/\bfor\b.*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*\/\s*/g, ' ');

export const readColumn = (label: string): Column => {
  const text = label.trim();
  const folded = fold(text);
  // Column labels are short: a longer cell is content, even if it mentions "update" or "date".
  const role = folded.split(' ').length <= 6 ? LABELS.find(([, pattern]) => pattern.test(folded))?.[0] : undefined;
  // A progress column's date dates its updates; a RAG column's ("RAG Sep 2018", "Q2 2018/19 RAG") dates its rating.
  const found = findDate(text);
  const date =
    role === 'progress' ? (found?.kind === 'date' ? found.date : undefined) : role === 'rag' ? ratingColumnDate(text) : undefined;
  return { role: role ?? 'unknown', label: text, ...(date ? { date } : {}) };
};

/** A row's number ("1.1", "Rec 3", "Recommendation 3") is no label: where it is, the header has ended. */
const ROW_NUMBER = /^(?:\d|rec(?:ommendation)?\.?\s*(?:no\.?\s*)?\d)/i;
const SHORT_LABEL = (text: string) =>
  text.trim() !== '' &&
  !text.includes('\u0000') &&
  !text.includes('\n') &&
  text.length <= 60 &&
  !ROW_NUMBER.test(text) &&
  !/[.!?]\s/.test(text);

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

/**
 * A table's header row when the rows are real (Word, Excel): every cell is a column, in
 * place, so an unknown label ("Theme", "Budget") is a column of its own and never moves
 * another. The row is a header when at least two labels are known, an action or a
 * recommendation column among them, and known labels are at least as many as unknown ones.
 */
export const readHeaderRow = (labels: string[]): Column[] | undefined => {
  if (labels.some((l) => l.includes('\n') || l.length > 80)) return undefined;
  const columns = labels.map((l) => (l.trim() === '' ? { role: 'unknown' as const, label: '' } : readColumn(l)));
  const known = columns.filter((c) => c.role !== 'unknown');
  const unknown = columns.filter((c) => c.role === 'unknown' && c.label !== '');
  if (known.length < 2 || known.length < unknown.length) return undefined;
  if (!known.some((c) => c.role === 'action' || c.role === 'recommendation')) return undefined;
  return columns;
};
