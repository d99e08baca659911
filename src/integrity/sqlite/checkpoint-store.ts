import type { Database as Db } from 'better-sqlite3';
import type { Checkpoint } from '../checkpoint.ts';
import type { CheckpointStore } from '../port.ts';

interface CheckpointRow {
  tree_size: number;
  root_hash: string;
  issued_at: string;
  key_id: string;
  signature: string;
  public_key: string | null;
  previous_tree_size: number | null;
  previous_hash: string | null;
}

/** A row back to the checkpoint it stores: v1 rows (from before the series) have no key and no predecessor. */
const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  treeSize: row.tree_size,
  rootHash: row.root_hash,
  issuedAt: row.issued_at,
  keyId: row.key_id,
  ...(row.public_key === null
    ? {}
    : {
        publicKey: row.public_key,
        previous: row.previous_tree_size === null ? null : { treeSize: row.previous_tree_size, hash: row.previous_hash ?? '' },
      }),
  signature: row.signature,
});

const COLUMNS = 'tree_size, root_hash, issued_at, key_id, signature, public_key, previous_tree_size, previous_hash';
type Params = [number, string, string, string, string, string | null, number | null, string | null];
const toParams = (c: Checkpoint): Params => [
  c.treeSize,
  c.rootHash,
  c.issuedAt,
  c.keyId,
  c.signature,
  c.publicKey ?? null,
  c.previous?.treeSize ?? null,
  c.previous?.hash ?? null,
];

/** Signed checkpoints in the ledger file's checkpoints table: append-only (triggers), at most one per tree size. */
export const sqliteCheckpointStore = (db: Db): CheckpointStore => {
  const s = {
    all: db.prepare<[], CheckpointRow>('SELECT * FROM checkpoints ORDER BY tree_size'),
    page: db.prepare<[bigint, number], CheckpointRow>('SELECT * FROM checkpoints WHERE tree_size > ? ORDER BY tree_size LIMIT ?'),
    latest: db.prepare<[], CheckpointRow>('SELECT * FROM checkpoints ORDER BY tree_size DESC LIMIT 1'),
    covering: db.prepare<[bigint], CheckpointRow>('SELECT * FROM checkpoints WHERE tree_size >= ? ORDER BY tree_size LIMIT 1'),
    insert: db.prepare<Params>(`INSERT OR IGNORE INTO checkpoints (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    // One statement, so the check of the latest and the insert are one atomic step under the write lock.
    append: db.prepare<[...Params, number]>(
      `INSERT OR IGNORE INTO checkpoints (${COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ?
       WHERE coalesce((SELECT max(tree_size) FROM checkpoints), 0) = ?`,
    ),
  };
  return {
    all: async () => s.all.all().map(toCheckpoint),
    page: async (after, limit) => s.page.all(after, limit).map(toCheckpoint),
    latest: async () => {
      const row = s.latest.get();
      return row && toCheckpoint(row);
    },
    covering: async (size) => {
      const row = s.covering.get(size);
      return row && toCheckpoint(row);
    },
    insert: async (c) => s.insert.run(...toParams(c)).changes === 1,
    append: async (c) => s.append.run(...toParams(c), c.previous?.treeSize ?? 0).changes === 1,
  };
};

/** The checkpoints as one read connection sees them (the verify snapshot's). */
export const readCheckpoints = (db: Db): Checkpoint[] =>
  db.prepare<[], CheckpointRow>('SELECT * FROM checkpoints ORDER BY tree_size').all().map(toCheckpoint);
