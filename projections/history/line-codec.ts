import type { Due } from '../../events/business-date.ts';
import type { ActionStatus } from '../../src/domain/action-status.ts';
import type { ActionLine, LateRecords, RecommendationLine, RevisionLine } from '../plan-status/plan-lines.ts';
import type { HeaderLine, PartLine } from './parts.ts';
import type { Intern } from './storage/interner.ts';
import type { EncodedLine, PartKey } from './storage/line-types.ts';

/**
 * Lines as the history stores them: short JSON arrays in which every value longer than a
 * date (texts, deadlines, lists of organisations, revisions) is an id into the history's table
 * of values, each value stored once. A plan's history holds a line per event, so this is what
 * keeps it near the size of the live documents (docs/projections.md, "Time travel").
 */
export type { EncodedLine, Intern };
/** The value of an id (readers); ids of values read eagerly are resolved before decoding. */
export type Resolve = (id: number) => unknown;

const statuses: ActionStatus[] = ['open', 'inProgress', 'completed', 'subsumed', 'withdrawn'];

export const encodeLine = ({ part, line }: PartLine, intern: Intern): EncodedLine => {
  if (part === 'h')
    return [
      intern(line.title),
      intern(line.kind),
      intern(line.owner),
      line.governanceBody === null ? null : intern(line.governanceBody),
      line.area === null ? null : intern(line.area),
      line.registeredOn,
      line.retracted ? 1 : 0,
    ];
  if (part === 'r') return [intern(line.text), intern(line.addressedTo), line.judgement];
  return [
    statuses.indexOf(line.status),
    line.agreedOn,
    line.deadlines.map(intern),
    line.completedOn,
    line.closedOn,
    intern(line.leads),
    intern(line.partners),
    line.lastUpdatedOn,
    line.reportedRag === null ? null : intern(line.reportedRag.rating),
    line.reportedRag === null ? null : line.reportedRag.reportedOn,
    line.evidence,
    line.late.count,
    line.late.maxLagDays,
    line.late.count === 0 ? null : intern(line.late.latest),
    intern(line.text),
    line.revisions.map(intern),
  ];
};

/** The ids a decoded line needs at once: every value the cross-plan views compute with (texts and revisions are read on demand). */
export const eagerIds = (part: PartKey, encoded: EncodedLine): number[] => {
  if (part === 'h') return encoded.slice(0, 5).filter((v): v is number => typeof v === 'number');
  if (part.startsWith('r:')) return [encoded[0] as number, encoded[1] as number];
  const ids = [...(encoded[2] as number[]), encoded[5] as number, encoded[6] as number, encoded[14] as number];
  if (encoded[8] !== null) ids.push(encoded[8] as number);
  return ids;
};

/** A value read the first time it is asked for, then kept on the object. */
const lazy = <T>(target: object, key: string, read: () => T) =>
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = read();
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });

export const decodeLine = (part: PartKey, e: EncodedLine, resolve: Resolve): PartLine => {
  if (part === 'h') {
    const line: HeaderLine = {
      title: resolve(e[0] as number) as string,
      kind: resolve(e[1] as number) as string,
      owner: resolve(e[2] as number) as string,
      governanceBody: e[3] === null ? null : (resolve(e[3] as number) as string),
      area: e[4] === null ? null : (resolve(e[4] as number) as string),
      registeredOn: e[5] as string,
      retracted: e[6] === 1,
    };
    return { part: 'h', line };
  }
  const ref = part.slice(2);
  if (part.startsWith('r:')) {
    const line: RecommendationLine = {
      ref,
      text: resolve(e[0] as number) as string,
      addressedTo: resolve(e[1] as number) as string[],
      judgement: e[2] as string | null,
    };
    return { part: 'r', line };
  }
  const deadlines = (e[2] as number[]).map((id) => resolve(id) as Due);
  const late = { count: e[11] as number, maxLagDays: e[12] as number } as LateRecords;
  if (e[13] === null) late.latest = [];
  else lazy(late, 'latest', () => resolve(e[13] as number) as LateRecords['latest']);
  const line = {
    ref,
    status: statuses[e[0] as number]!,
    agreedOn: e[1] as string,
    originalDue: deadlines[0]!,
    currentDue: deadlines.at(-1)!,
    deadlines,
    completedOn: e[3] as string | null,
    closedOn: e[4] as string | null,
    leads: resolve(e[5] as number) as string[],
    partners: resolve(e[6] as number) as string[],
    lastUpdatedOn: e[7] as string,
    reportedRag: e[8] === null ? null : { rating: resolve(e[8] as number) as string, reportedOn: e[9] as string },
    evidence: e[10] as number,
    late,
    text: resolve(e[14] as number) as string,
  } as ActionLine;
  lazy(line, 'revisions', () => (e[15] as number[]).map((id) => resolve(id) as RevisionLine));
  return { part: 'a', line };
};
