import { canonicalJson } from '../canonical-json.ts';
import type { ChainRowSource } from '../verify-chains.ts';
import { claimedHash } from '../../store/kurrentdb/event-codec.ts';
import { readIndexedRecords } from '../../store/kurrentdb/kurrentdb-reads.ts';
import type { StoreContext } from '../../store/kurrentdb/store-context.ts';

/** A ChainRow with what this instance's position index says of the event: its hash. */
export type Row = [position: number, stream: string, revision: number, body: string, hash: string | null, indexedHash: string];

/** The body as the engine holds it, canonical when it is JSON at all (else as it is, and the hash will not match). */
const bodyOf = (data: unknown): string => {
  try {
    return canonicalJson(data);
  } catch {
    return String(JSON.stringify(data));
  }
};

/**
 * The chain check's rows straight from the engine: each event's body as KurrentDB returns it
 * and the hash its writer recorded beside it (or, when the engine does not hand the metadata
 * back, the hash the index computed on the way in). The shared check recomputes every hash from
 * the body; this backend's own check then holds the local index to the same hash, so a damaged
 * or foreign index file cannot hide behind a sound engine.
 */
export const kurrentChainRows = (ctx: StoreContext): ChainRowSource<Row> => ({
  async rows(from, to, limit) {
    const pairs = await readIndexedRecords(ctx, BigInt(from), Math.min(limit, to - from));
    return pairs.map(({ entry, record }): Row => [
      Number(entry.position),
      entry.stream,
      Number(record.revision),
      bodyOf(record.data),
      claimedHash(record) ?? entry.hash,
      entry.hash,
    ]);
  },
  event(stream, revision) {
    const entry = ctx.index.streamEntry(stream, BigInt(revision));
    return entry && { position: Number(entry.position), hash: entry.hash };
  },
  // Read only after the row's hash held, so the body is the event's canonical JSON.
  recordedAt: ([, , , body]) => String((JSON.parse(body) as { recordedAt?: unknown }).recordedAt),
  checkRow: ([, , , , hash, indexedHash]) =>
    hash === indexedHash
      ? undefined
      : {
          kind: 'column-mismatch',
          message: `the local position index ${ctx.index.file} holds another hash for this event: delete it to rebuild it from the engine`,
          expected: String(hash),
          found: indexedHash,
        },
});
