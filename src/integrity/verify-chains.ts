import type { ChainSliceResult } from './chain-check.ts';
import { GENESIS_HASH, hashCanonicalEvent, hashEvent } from './event-hash.ts';
import { leafHash } from './merkle.ts';
import { CompactRange } from './merkle-proofs.ts';
import type { IntegrityFailure } from './verify-report.ts';

/**
 * One stored event as the chain check reads it: its place, its JSON text as stored (canonical,
 * or from before canonical storage) and its stored chain hash. A backend may append columns
 * of its own for its own checks (SQLite: the query columns).
 */
export type ChainRow = [position: number, stream: string, revision: number, body: string, hash: string | null, ...backend: unknown[]];

type Awaitable<T> = T | Promise<T>;

/** What a backend gives the chain check: pages of rows, single lookups, and its own per-row check. */
export interface ChainRowSource<R extends ChainRow = ChainRow> {
  /** Up to `limit` rows at positions [from, to), in position order. */
  rows(from: number, to: number, limit: number): Awaitable<R[]>;
  /** The stored event at (stream, revision): where it is and its stored hash. */
  event(stream: string, revision: number): Awaitable<{ position: number; hash: string | null } | undefined>;
  /** A backend-specific check of a row whose chain link held (SQLite: the query columns agree with the body). */
  checkRow?(row: R): Omit<IntegrityFailure, 'stream' | 'revision' | 'position'> | undefined;
  /** The row's recordedAt as the stored event says it (read only after the row's checks held). */
  recordedAt(row: R): string;
}

/** At most this many clock anomalies are listed; all are counted. */
export const CLOCK_ANOMALIES_LISTED = 10;

/** recordedAt instants in one ISO format compare as text; otherwise as instants. */
export const isEarlier = (a: string, b: string): boolean => (a.length === b.length ? a < b : Date.parse(a) < Date.parse(b));

const PAGE = 5_000;

type Head = { revision: number; hash: string };

/** What a range check carries from page to page. */
interface RangeState {
  from: number;
  next: number;
  tree: CompactRange;
  frontiers: ChainSliceResult['frontiers'];
  /** Tree sizes, relative to `from`, at which to record the frontier. */
  wanted: Set<number>;
  heads: Map<string, Head>;
  clock: ChainSliceResult['clock'];
}

/**
 * The stored predecessors of the streams this page shows for the first time in the range, looked
 * up before the page is checked, so the check itself never waits: a loop with an await inside
 * runs measurably slower on a million events. Only a predecessor before the range counts (whoever
 * checks that range proves its hash).
 */
const predecessorsOf = async <R extends ChainRow>(rows: R[], state: RangeState, source: ChainRowSource<R>): Promise<Map<string, Head>> => {
  const found = new Map<string, Head>();
  const asked = new Set<string>();
  for (const [, stream, revision] of rows) {
    if (state.heads.has(stream) || asked.has(stream)) continue;
    asked.add(stream);
    if (revision === 0) continue;
    const before = await source.event(stream, revision - 1);
    if (before && before.position < state.from && before.hash) found.set(stream, { revision: revision - 1, hash: before.hash });
  }
  return found;
};

/** The chain hash of a body stored before canonical storage, through its canonical form; a body that is not JSON hashes to nothing. */
const hashOfStoredText = (body: string, link: { stream: string; revision: number; previousHash: string }): string => {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return '(the stored event is not JSON)';
  }
  return hashEvent(event, link);
};

/** Checks one page of rows in order; the first failure, or undefined when every row held. */
const checkPage = <R extends ChainRow>(
  state: RangeState,
  rows: R[],
  predecessors: Map<string, Head>,
  source: ChainRowSource<R>,
): IntegrityFailure | undefined => {
  const { heads, tree, wanted, frontiers, clock } = state;
  const checkRow = source.checkRow;
  for (const row of rows) {
    const [position, stream, revision, body, storedHash] = row;
    const at = { stream, revision: String(revision), position: String(position) };
    if (position !== state.next) {
      return {
        kind: 'position-gap',
        ...at,
        message: `no event at position ${state.next}: the next stored event is at ${position}`,
        expected: String(state.next),
        found: String(position),
      };
    }
    // First sight of this stream in the range: it starts from its predecessor before the range.
    const head = heads.get(stream) ?? predecessors.get(stream);
    const expectedRevision = head ? head.revision + 1 : 0;
    if (revision !== expectedRevision) {
      return {
        kind: 'revision-gap',
        ...at,
        message: `stream ${stream} goes from revision ${expectedRevision - 1} to ${revision}: events were removed or reordered`,
        expected: String(expectedRevision),
        found: String(revision),
      };
    }
    const link = { stream, revision, previousHash: head?.hash ?? GENESIS_HASH };
    let hash = hashCanonicalEvent(body, link);
    // A body stored before canonical storage hashes through its canonical form instead.
    if (hash !== storedHash) hash = hashOfStoredText(body, link);
    if (hash !== storedHash) {
      return {
        kind: 'event-hash-mismatch',
        ...at,
        message: 'the stored event does not hash to its chain hash: its content, or the hash, was changed',
        expected: storedHash ?? '(none)',
        found: hash,
      };
    }
    const backendFailure = checkRow?.(row);
    if (backendFailure) return { ...backendFailure, ...at };
    // Ledger time never decreases; where it did (a clock stepped back before that was prevented), it is an anomaly, not damage.
    const recordedAt = source.recordedAt(row);
    if (clock.last !== undefined && isEarlier(recordedAt, clock.last)) {
      clock.stepsBack++;
      if (clock.listed.length < CLOCK_ANOMALIES_LISTED) clock.listed.push({ position: String(position), previous: clock.last, recordedAt });
    }
    clock.first ??= recordedAt;
    clock.last = recordedAt;
    heads.set(stream, { revision, hash });
    tree.push(leafHash(Buffer.from(hash, 'hex')));
    if (wanted.has(tree.size)) frontiers.push({ size: tree.size, subtrees: tree.subtrees() });
    state.next++;
  }
  return undefined;
};

/**
 * Checks the chains of every event at positions [from, to): positions without a gap, each
 * stream's revisions without a gap, each event's hash recomputed from its stored JSON and its
 * predecessor, and the backend's own check. A stream whose predecessor lies before `from`
 * starts from that predecessor's stored hash: whoever checks the predecessor's range proves
 * that hash, so ranges can be checked in parallel and together prove every chain. The range's
 * part of the Merkle tree is built on the way, so a parallel run spreads it over the threads.
 */
export const verifyChainRange = async <R extends ChainRow>(
  source: ChainRowSource<R>,
  from: number,
  to: number,
  /** Absolute tree sizes in (from, to] at which to record the frontier (signed checkpoints). */
  checkpointSizes: readonly number[],
  onProgress?: (checked: number) => void,
): Promise<Omit<ChainSliceResult, 'from'>> => {
  const state: RangeState = {
    from,
    next: from,
    tree: new CompactRange(),
    frontiers: [],
    wanted: new Set(checkpointSizes.filter((size) => size > from && size <= to).map((size) => size - from)),
    heads: new Map(),
    clock: { stepsBack: 0, listed: [] },
  };
  const result = (failure?: IntegrityFailure): Omit<ChainSliceResult, 'from'> => ({
    frontiers: [...state.frontiers, { size: state.tree.size, subtrees: state.tree.subtrees() }],
    eventsChecked: state.next - from,
    streams: state.heads.size,
    clock: state.clock,
    ...(failure ? { failure } : {}),
  });

  while (state.next < to) {
    const rows = await source.rows(state.next, to, PAGE);
    const failure = checkPage(state, rows, await predecessorsOf(rows, state, source), source);
    if (failure) return result(failure);
    onProgress?.(state.next - from);
    if (rows.length < PAGE && state.next < to) {
      return result({
        kind: 'position-gap',
        position: String(state.next),
        message: `no event at position ${state.next}`,
        expected: String(state.next),
        found: 'none',
      });
    }
  }
  return result();
};
