import type { Db } from '../../store/sqlite/connection.ts';
import { GENESIS_HASH, hashCanonicalEvent, hashEvent } from '../event-hash.ts';
import { leafHash } from '../merkle.ts';
import { CompactRange } from '../merkle-proofs.ts';
import type { IntegrityFailure } from '../verify-report.ts';

export type Row = [number, string, number, string, string, number, string, string, string, string | null];

const PAGE = 5_000;

/** The query columns are copies of fields in the stored event; each must still agree with it. */
const COLUMN_FIELDS = [
  [3, 'event_id', 'eventId'],
  [4, 'type', 'type'],
  [5, 'schema_version', 'schemaVersion'],
  [6, 'recorded_at', 'recordedAt'],
  [7, 'command_id', 'commandId'],
] as const;

/** The value of a key that occurs exactly once in the text (so at the top level), as JSON text, or undefined. */
const onlyValueStart = (body: string, key: string): number => {
  const at = body.indexOf(key);
  return at >= 0 && body.indexOf(key, at + key.length) < 0 ? at + key.length : -1;
};

/**
 * Cheap proof that the query columns agree with a canonical body, without parsing it: in
 * RFC 8785 text the last members are recordedAt, schemaVersion and type, in that order, so
 * the body must end with exactly them; and `"eventId":` and `"commandId":` (a key token cannot
 * occur inside a JSON string, whose quotes are escaped) must occur once, followed by the
 * column's value. Any doubt returns false and the caller parses the JSON, which decides.
 */
export const columnsAgreeFast = (row: Row): boolean => {
  const [, , , eventId, type, schemaVersion, recordedAt, commandId, body] = row;
  const tail = `,"recordedAt":${JSON.stringify(recordedAt)},"schemaVersion":${schemaVersion},"type":${JSON.stringify(type)}}`;
  if (!body.endsWith(tail)) return false;
  const id = JSON.stringify(eventId);
  const idAt = onlyValueStart(body, '"eventId":');
  if (idAt < 0 || !body.startsWith(id, idAt)) return false;
  const command = JSON.stringify(commandId);
  const commandAt = onlyValueStart(body, '"commandId":');
  return commandAt >= 0 && body.startsWith(command, commandAt);
};

export interface ChainRangeResult {
  /**
   * The slice's own Merkle subtrees (largest first, over the recomputed event hashes) when it
   * had checked `size` events from its start, for each checkpoint size inside it and at its end.
   */
  frontiers: Array<{ size: number; subtrees: Buffer[] }>;
  eventsChecked: number;
  streams: number;
  failure?: IntegrityFailure;
}

/**
 * Checks the chains of every event at positions [from, to): positions without a gap, each
 * stream's revisions without a gap, each event's hash recomputed from its stored JSON and its
 * predecessor, and the query columns. A stream whose predecessor lies before `from` starts
 * from that predecessor's stored hash: whoever checks the predecessor's range proves that
 * hash, so ranges can be checked in parallel and together prove every chain.
 */
export const verifyChainRange = (
  db: Db,
  from: number,
  to: number,
  /** Absolute tree sizes in (from, to] at which to record the frontier (signed checkpoints). */
  checkpointSizes: readonly number[],
  onProgress?: (checked: number) => void,
): ChainRangeResult => {
  const tree = new CompactRange();
  const frontiers: ChainRangeResult['frontiers'] = [];
  const wanted = new Set(checkpointSizes.filter((size) => size > from && size <= to).map((size) => size - from));
  const heads = new Map<string, { revision: number; hash: string }>();
  const page = db
    .prepare<[number, number, number]>(
      `SELECT position, stream, revision, event_id, type, schema_version, recorded_at, command_id, body, hash
       FROM events WHERE position >= ? AND position < ? ORDER BY position LIMIT ?`,
    )
    .raw(true);
  const predecessor = db.prepare<[string, number], { position: number; hash: string | null }>(
    'SELECT position, hash FROM events WHERE stream = ? AND revision = ?',
  );
  let next = from;
  const result = (failure?: IntegrityFailure): ChainRangeResult => ({
    frontiers: [...frontiers, { size: tree.size, subtrees: tree.subtrees() }],
    eventsChecked: next - from,
    streams: heads.size,
    ...(failure ? { failure } : {}),
  });

  while (next < to) {
    const rows = page.all(next, to, PAGE) as Row[];
    for (const row of rows) {
      const [position, stream, revision, , , , , , body, storedHash] = row;
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
        const before = predecessor.get(stream, revision - 1);
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
      if (!columnsAgreeFast(row)) {
        const event = JSON.parse(body) as Record<string, unknown>;
        for (const [i, column, field] of COLUMN_FIELDS) {
          if (row[i] !== event[field]) {
            return result({
              kind: 'column-mismatch',
              ...at,
              message: `column ${column} says ${JSON.stringify(row[i])} but the event says ${JSON.stringify(event[field])}`,
              expected: String(event[field]),
              found: String(row[i]),
            });
          }
        }
      }
      heads.set(stream, { revision, hash });
      // The slice's part of the Merkle tree here too, so a parallel run spreads it over the threads.
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
