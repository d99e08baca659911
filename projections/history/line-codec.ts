import type { Due } from '../../events/business-date.ts';
import type { ActionStatus } from '../../src/domain/action-status.ts';
import type { ActionDetails, ActionLine, LateClosure, LateRecord, RevisionLine } from '../plan-status/plan-lines.ts';
import type { HeaderLine, PartLine } from './parts.ts';
import type { Intern } from './storage/interner.ts';
import type { EncodedLine, PartKey } from './storage/line-types.ts';
import { ByteReader, ByteWriter } from './storage/varint.ts';

/**
 * Lines as the history stores them: a few variable-length whole numbers (varint.ts). Every value
 * longer than a date (texts, deadlines, lists of organisations, revisions) is an id into the
 * history's table of values, each value stored once; business dates are numbers of their own.
 * A plan's history holds a line per event, so this is what keeps it small, and a reader turns
 * the lines a view needs into objects without parsing the rest (docs/projections.md, "Time travel").
 */
export type { EncodedLine, Intern };

const statuses: ActionStatus[] = ['open', 'inProgress', 'completed', 'subsumed', 'withdrawn'];
const NONE = -1;

const DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;
/**
 * A business date ("2017-08" or "2017-08-14") as a number that gives it back exactly; null as
 * NONE; anything else (never written today) as a value id below NONE, so nothing is lost.
 */
const dateCode = (date: string | null, intern: Intern): number => {
  if (date === null) return NONE;
  const m = DATE.exec(date);
  if (!m) return -2 - intern(date);
  return Number(m[1]) * 512 + Number(m[2]) * 32 + (m[3] === undefined ? 0 : Number(m[3]));
};
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
/** The date a code stands for, as written: four digits of year whatever the year (a date may be before 1000). */
const dateText = (code: number): string => {
  const day = code % 32;
  return `${String(Math.floor(code / 512)).padStart(4, '0')}-${pad(Math.floor(code / 32) % 16)}${day === 0 ? '' : `-${pad(day)}`}`;
};
/**
 * Each date code's text, made once: in an array indexed by code over the years plans' dates fall
 * in, a Map beyond them. A read of every plan decodes several dates a line: looking each up in a
 * Map took 6–8% of such a read at ten million events (a profile of its decoding alone).
 */
const FIRST_YEAR = 1900;
const recentDates = new Array<string | undefined>(300 * 512).fill(undefined);
const otherDates = new Map<number, string>();
const dateOf = (code: number, value: Resolve): string | null => {
  if (code === NONE) return null;
  if (code < NONE) return value(-2 - code) as string;
  const slot = code - FIRST_YEAR * 512;
  if (slot >= 0 && slot < recentDates.length) return (recentDates[slot] ??= dateText(code));
  let date = otherDates.get(code);
  if (date === undefined) otherDates.set(code, (date = dateText(code)));
  return date;
};

const idOrNone = (value: unknown, intern: Intern) => (value === null ? NONE : intern(value));

/** The ids an action line's bytes hold for its deadlines, late records and revisions. */
const storedDetailIds = (bytes: EncodedLine): { deadlineIds: number[]; lateCount: number; lateId: number; revisionIds: number[] } => {
  const r = new ByteReader(bytes);
  r.int(); // status
  r.int(); // agreedOn
  const deadlineIds = new Array<number>(r.int());
  for (let i = 0; i < deadlineIds.length; i++) deadlineIds[i] = r.int();
  for (let i = 0; i < 10; i++) r.int(); // completedOn … evidence, revisedAfterDeadline, closureRecordedAfterDeadline
  const lateCount = r.int();
  r.int(); // maxLagDays
  const lateId = r.int();
  r.int(); // text
  const revisionIds = new Array<number>(r.int());
  for (let i = 0; i < revisionIds.length; i++) revisionIds[i] = r.int();
  return { deadlineIds, lateCount, lateId, revisionIds };
};

/**
 * A line as bytes, its values given ids by `intern`.
 *
 * `still` is the same action's line as last encoded, when the writer knows that nothing since
 * has changed what its details say (no correction of this action came between): its revisions
 * and its deadlines (the agreed one, then each revision's) are then the first of the new line's,
 * and its late records the new line's while their count is unchanged (a late fact always adds
 * one). Their ids are taken from it rather than looked up: an action's revisions and deadlines
 * are re-encoded at every event of the action, so on a long ledger they would otherwise be most
 * of what the interner must remember and serialise, and what it forgets gets new ids.
 */
// One writer for every line: encoding never nests, and a rebuild encodes a line per event.
const lineWriter = new ByteWriter();

export const encodeLine = ({ part, line }: PartLine, intern: Intern, still?: EncodedLine | null): EncodedLine => {
  const w = lineWriter.reset();
  if (part === 'h') {
    w.int(intern(line.title));
    w.int(intern(line.kind));
    w.int(intern(line.owner));
    w.int(idOrNone(line.governanceBody, intern));
    w.int(idOrNone(line.area, intern));
    w.int(dateCode(line.registeredOn, intern));
    w.int(line.retracted ? 1 : 0);
  } else if (part === 'r') {
    w.int(intern(line.text));
    w.int(intern(line.addressedTo));
    w.int(idOrNone(line.judgement, intern));
  } else {
    const kept = still ? storedDetailIds(still) : undefined;
    w.int(statuses.indexOf(line.status));
    w.int(dateCode(line.agreedOn, intern));
    const deadlines = line.deadlines;
    const carriedDeadlines = kept && kept.deadlineIds.length <= deadlines.length ? kept.deadlineIds : [];
    w.int(deadlines.length);
    for (let i = 0; i < deadlines.length; i++) w.int(i < carriedDeadlines.length ? carriedDeadlines[i]! : intern(deadlines[i]));
    w.int(dateCode(line.completedOn, intern));
    w.int(dateCode(line.closedOn, intern));
    w.int(intern(line.leads));
    w.int(intern(line.partners));
    w.int(dateCode(line.lastUpdatedOn, intern));
    w.int(line.reportedRag === null ? NONE : intern(line.reportedRag.rating));
    w.int(dateCode(line.reportedRag === null ? null : line.reportedRag.reportedOn, intern));
    w.int(line.evidence);
    w.int(line.revisedAfterDeadline);
    w.int(idOrNone(line.closureRecordedAfterDeadline, intern));
    w.int(line.late.count);
    w.int(line.late.maxLagDays);
    const revisions = line.details.revisions;
    const carried = kept && kept.revisionIds.length <= revisions.length ? kept.revisionIds : [];
    const lateKept = kept && kept.lateCount === line.late.count && kept.lateId !== NONE;
    w.int(line.late.count === 0 ? NONE : lateKept ? kept.lateId : intern(line.details.lateRecords));
    w.int(intern(line.text));
    // Last, so a reader can leave them undecoded (StoredDetails).
    w.int(revisions.length);
    for (let i = 0; i < revisions.length; i++) w.int(i < carried.length ? carried[i]! : intern(revisions[i]));
  }
  return w.done();
};

export const sameLine = (a: EncodedLine | null | undefined, b: EncodedLine | null): boolean => {
  if (!a || !b) return (a ?? null) === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * The value of an id. A reader's resolver may answer undefined for a value it has not read yet,
 * note the id, and decode again once it has read them all.
 */
export type Resolve = (id: number) => unknown;

/** The values of ids, read from the history's table when not at hand: what an action's details are resolved with when a view reads them. */
export interface DetailValues {
  resolve(ids: number[]): unknown[];
}

// Module-level readers, not closures made per line, and one byte reader reused (decoding never
// nests): a read decodes tens of thousands of lines, and what it allocates is most of its cost.
const reader = new ByteReader(new Uint8Array(0));
/** Shared by every line with no revisions and no late records: nothing changes a line once made. */
const NO_DETAILS: ActionDetails = Object.freeze({ revisions: [], lateRecords: [] });

/**
 * An action's details as the history stores them: the ids of the late records and, at the end of
 * the line's bytes, of each revision; resolved only when a view reads them, which a report does
 * only for the actions on its page. A read of every plan thus resolves none of them: on a plan of
 * thousands of events they are most of the values its lines name. Getters on the class, not
 * closures per line, so an unread line costs one small object.
 */
class StoredDetails implements ActionDetails {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly revisionsAt: number,
    private readonly revisionCount: number,
    private readonly lateId: number,
    private readonly values: DetailValues,
  ) {}
  get revisions(): RevisionLine[] {
    // Its own byte reader: a view reads details after decoding, maybe between two decodes.
    const r = new ByteReader(this.bytes, this.revisionsAt);
    const ids = new Array<number>(this.revisionCount);
    for (let i = 0; i < ids.length; i++) ids[i] = r.int();
    return this.values.resolve(ids) as RevisionLine[];
  }
  get lateRecords(): LateRecord[] {
    return this.lateId === NONE ? [] : (this.values.resolve([this.lateId])[0] as LateRecord[]);
  }
  /** As JSON, the details themselves. */
  toJSON(): ActionDetails {
    return { revisions: this.revisions, lateRecords: this.lateRecords };
  }
}
const readId = (r: ByteReader, value: Resolve) => value(r.int());
const readIdOrNull = (r: ByteReader, value: Resolve) => {
  const n = r.int();
  return n === NONE ? null : value(n);
};
const readDate = (r: ByteReader, value: Resolve) => dateOf(r.int(), value);

const decodeHeader = (r: ByteReader, value: Resolve): HeaderLine => ({
  title: readId(r, value) as string,
  kind: readId(r, value) as string,
  owner: readId(r, value) as string,
  governanceBody: readIdOrNull(r, value) as string | null,
  area: readIdOrNull(r, value) as string | null,
  registeredOn: readDate(r, value)!,
  retracted: r.int() === 1,
});

const decodeAction = (ref: string, r: ByteReader, value: Resolve, details: DetailValues): ActionLine => {
  const status = statuses[r.int()]!;
  const agreedOn = readDate(r, value)!;
  const deadlines: Due[] = new Array(r.int());
  for (let i = 0; i < deadlines.length; i++) deadlines[i] = readId(r, value) as Due;
  const completedOn = readDate(r, value);
  const closedOn = readDate(r, value);
  const leads = readId(r, value) as string[];
  const partners = readId(r, value) as string[];
  const lastUpdatedOn = readDate(r, value)!;
  const rating = readIdOrNull(r, value) as string | null;
  const reportedOn = readDate(r, value);
  const evidence = r.int();
  const revisedAfterDeadline = r.int();
  const closureRecordedAfterDeadline = readIdOrNull(r, value) as LateClosure | null;
  const count = r.int();
  const maxLagDays = r.int();
  const lateId = r.int();
  const text = readId(r, value) as string;
  const revised = r.int();
  return {
    ref,
    text,
    status,
    agreedOn,
    originalDue: deadlines[0]!,
    currentDue: deadlines[deadlines.length - 1]!,
    deadlines,
    completedOn,
    closedOn,
    leads,
    partners,
    lastUpdatedOn,
    reportedRag: rating === null ? null : { rating, reportedOn: reportedOn! },
    evidence,
    late: { count, maxLagDays },
    revisedAfterDeadline,
    closureRecordedAfterDeadline,
    details: revised === 0 && lateId === NONE ? NO_DETAILS : new StoredDetails(r.bytes, r.at, revised, lateId, details),
  };
};

/** Whether a header line's bytes (`bytes[start…]`) say the plan is retracted, without resolving its values. */
export const headerRetracted = (bytes: Uint8Array, start: number): boolean => {
  const r = reader.reset(bytes, start);
  for (let i = 0; i < 6; i++) r.int(); // title, kind, owner, governance body, area, registeredOn
  return r.int() === 1;
};

/**
 * A line from its bytes (`bytes[start…]`): the part's key says which kind of line it is. An
 * action's details stay undecoded until read, then resolved through `details`.
 */
export const decodeLine = (part: PartKey, bytes: Uint8Array, start: number, value: Resolve, details: DetailValues): PartLine => {
  const r = reader.reset(bytes, start);
  if (part === 'h') return { part: 'h', line: decodeHeader(r, value) };
  const ref = part.slice(2);
  if (part.startsWith('r:'))
    return {
      part: 'r',
      line: {
        ref,
        text: readId(r, value) as string,
        addressedTo: readId(r, value) as string[],
        judgement: readIdOrNull(r, value) as string | null,
      },
    };
  return { part: 'a', line: decodeAction(ref, r, value, details) };
};
