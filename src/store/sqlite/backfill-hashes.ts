import { GENESIS_HASH, hashEvent } from '../../integrity/event-hash.ts';
import type { Db } from './connection.ts';

/**
 * Gives events written before the hash chain existed their chain hashes, in position order
 * (so each stream's previous hash is always known), hashing the canonical form of the stored
 * JSON. Runs once, inside the migration's transaction.
 */
export const backfillChainHashes = (db: Db): void => {
  const rows = db
    .prepare<[], { position: bigint; stream: string; revision: bigint; body: string; hash: string | null }>(
      'SELECT position, stream, revision, body, hash FROM events ORDER BY position',
    )
    .safeIntegers(true)
    .all();
  const update = db.prepare<[string, bigint]>('UPDATE events SET hash = ? WHERE position = ?');
  const heads = new Map<string, string>();
  for (const row of rows) {
    const previousHash = heads.get(row.stream) ?? GENESIS_HASH;
    const hash = hashEvent(JSON.parse(row.body), { stream: row.stream, revision: row.revision, previousHash });
    if (row.hash === null) update.run(hash, row.position);
    heads.set(row.stream, row.hash ?? hash);
  }
};
