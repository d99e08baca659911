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
}

const PAGE = 5_000;

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
  const tree = new CompactRange();
  const frontiers: ChainSliceResult['frontiers'] = [];
  const wanted = new Set(checkpointSizes.filter((size) => size > from && size <= to).map((size) => size - from));
  const heads = new Map<string, { revision: number; hash: string }>();
  let next = from;
  const result = (failure?: IntegrityFailure): Omit<ChainSliceResult, 'from'> => ({
    frontiers: [...frontiers, { size: tree.size, subtrees: tree.subtrees() }],
    eventsChecked: next - from,
    streams: heads.size,
    ...(failure ? { failure } : {}),
  });

  while (next < to) {
    const rows = await source.rows(next, to, PAGE);
    for (const row of rows) {
      const [position, stream, revision, body, storedHash] = row;
      const at = { stream, revision: String(revision), position: String(position) };
      if (position !== next) {
        return result({
          kind: 'position-gap',
          ...at,
          message: `no event at position ${next}: the next stored event is at ${position}`,
          expected: String(next),
          found: String(position),
        });
      }
      let head = heads.get(stream);
      if (!head && revision > 0) {
        // First sight of this stream in the range: its predecessor must lie before the range.
        const before = await source.event(stream, revision - 1);
        if (before && before.position < from && before.hash) head = { revision: revision - 1, hash: before.hash };
      }
      const expectedRevision = head ? head.revision + 1 : 0;
      if (revision !== expectedRevision) {
        return result({
          kind: 'revision-gap',
          ...at,
          message: `stream ${stream} goes from revision ${expectedRevision - 1} to ${revision}: events were removed or reordered`,
          expected: String(expectedRevision),
          found: String(revision),
        });
      }
      const link = { stream, revision, previousHash: head?.hash ?? GENESIS_HASH };
      let hash = hashCanonicalEvent(body, link);
      // A body stored before canonical storage hashes through its canonical form instead.
      if (hash !== storedHash) hash = hashEvent(JSON.parse(body) as Record<string, unknown>, link);
      if (hash !== storedHash) {
        return result({
          kind: 'event-hash-mismatch',
          ...at,
          message: 'the stored event does not hash to its chain hash: its content, or the hash, was changed',
          expected: storedHash ?? '(none)',
          found: hash,
        });
      }
      const backendFailure = source.checkRow?.(row);
      if (backendFailure) return result({ ...backendFailure, ...at });
      heads.set(stream, { revision, hash });
      tree.push(leafHash(Buffer.from(hash, 'hex')));
      if (wanted.has(tree.size)) frontiers.push({ size: tree.size, subtrees: tree.subtrees() });
      next++;
    }
    onProgress?.(next - from);
    if (rows.length < PAGE && next < to) {
      return result({
        kind: 'position-gap',
        position: String(next),
        message: `no event at position ${next}`,
        expected: String(next),
        found: 'none',
      });
    }
  }
  return result();
};
