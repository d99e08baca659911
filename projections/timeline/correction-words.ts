import { businessDate } from './date-words.ts';
import type { Subject } from '../fact-subject.ts';

/** What changed of one field of an entry, before and after, as the timeline's entries' `changes` hold it. */
export interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

/** How the words for one kind of entry are found: its deadlines, and its fields' names (describe.ts). */
export interface Describe {
  due: (due: unknown) => string;
  field: (name: string) => string;
}

/** Longer texts are cut here, at a word where one is near: the entry's `changes` hold them whole. */
const CLIP = 60;
const clip = (text: string) => {
  if (text.length <= CLIP) return text;
  const cut = text.slice(0, CLIP - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > CLIP / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
};

/** Words kept before the first difference when two long texts are cut from where they differ. */
const LEAD = 20;
/**
 * Two versions of a long text, cut alike from a little before where they first differ, so that a
 * correction of the end of a long narrative does not read as "from "…" to "…"" with both cut to
 * the same opening words.
 */
const clipBoth = (before: string, after: string): [string, string] => {
  let at = 0;
  while (at < before.length && at < after.length && before[at] === after[at]) at++;
  if (at < CLIP - LEAD || (before.length <= CLIP && after.length <= CLIP)) return [clip(before), clip(after)];
  // At a word a little before the difference, unless the nearest is far before it (a long address, say).
  const space = before.lastIndexOf(' ', at - LEAD);
  const from = space > 0 && at - space <= 2 * LEAD ? space + 1 : at - LEAD;
  return [`…${clip(before.slice(from))}`, `…${clip(after.slice(from))}`];
};

const BUSINESS_DATE = /^\d{4}-\d{2}(-\d{2})?$/;
/** Fields that hold what someone wrote, quoted in a summary; the others hold names, dates and ids. */
const WRITTEN = new Set(['text', 'narrative', 'summary', 'reason', 'title', 'response', 'rationale', 'description', 'ledByWording']);

const lowerFirst = (words: string) => words.charAt(0).toLowerCase() + words.slice(1);

/**
 * A value as a line of an audit trail says it: a business date in words ("August 2017"), a
 * deadline as its document words it, names listed, what someone wrote quoted (and cut short), a
 * RAG by its rating, anything else field by field.
 */
export const valueWords = (value: unknown, field: string, describe: Describe): string => {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') {
    if (WRITTEN.has(field)) return `"${clip(value)}"`;
    return BUSINESS_DATE.test(value) ? businessDate(value) : value;
  }
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value.every((v) => typeof v === 'string') ? value.join(', ') : `${value.length} ${value.length === 1 ? 'entry' : 'entries'}`;
  }
  const record = value as Record<string, unknown>;
  const kind = record['kind'];
  if (kind === 'date' || kind === 'ongoing' || kind === 'undated') return describe.due(value);
  // What an action was subsumed into: another action, or a programme by its name.
  if (kind === 'action' && typeof record['ref'] === 'string') return `action ${record['ref']}`;
  if (kind === 'programme' && typeof record['name'] === 'string') return `"${clip(record['name'])}"`;
  if (typeof record['rating'] === 'string') return record['rating'];
  const fields = Object.entries(record).map(([name, v]) => `${lowerFirst(describe.field(name))} ${valueWords(v, name, describe)}`);
  return fields.length === 0 ? 'nothing' : fields.join(', ');
};

const fieldChangeWords = ({ field, before, after }: Change, describe: Describe): string => {
  const name = lowerFirst(describe.field(field));
  if (before === null || before === undefined) return `${name} set to ${valueWords(after, field, describe)}`;
  if (WRITTEN.has(field) && typeof before === 'string' && typeof after === 'string') {
    const [was, now] = clipBoth(before, after);
    return `${name} from "${was}" to "${now}"`;
  }
  return `${name} from ${valueWords(before, field, describe)} to ${valueWords(after, field, describe)}`;
};

/**
 * Each field a correction changed, before and after: "date it happened from September 2015 to
 * October 2015"; where the entry held no earlier value, or it is not known, "set to".
 */
export const changeWords = (changes: readonly Change[], describe: Describe): string =>
  changes.map((change) => fieldChangeWords(change, describe)).join('; ');

/**
 * What a correction changed of one entry that stands (not of a correction): that entry's kind,
 * what it is about, and its fields before and after, its date among them. A correction of a
 * correction, which amends it or sends it to another entry, changes one or two such entries.
 */
export interface CorrectionEffect {
  type: string;
  about: Subject;
  changes: Change[];
}
