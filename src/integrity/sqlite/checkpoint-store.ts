import type { Database as Db } from 'better-sqlite3';
import type { Checkpoint } from '../checkpoint.ts';
import type { CheckpointStore } from '../port.ts';

interface CheckpointRow {
  tree_size: number;
  root_hash: string;
  issued_at: string;
  key_id: string;
  signature: string;
}

const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  treeSize: row.tree_size,
  rootHash: row.root_hash,
  issuedAt: row.issued_at,
  keyId: row.key_id,
  signature: row.signature,
});

/** Signed checkpoints in the ledger file's checkpoints table: append-only (triggers), at most one per tree size. */
export const sqliteCheckpointStore = (db: Db): CheckpointStore => {
  const s = {
    all: db.prepare<[], CheckpointRow>('SELECT * FROM checkpoints ORDER BY tree_size'),
    page: db.prepare<[bigint, number], CheckpointRow>('SELECT * FROM checkpoints WHERE tree_size > ? ORDER BY tree_size LIMIT ?'),
    latest: db.prepare<[], CheckpointRow>('SELECT * FROM checkpoints ORDER BY tree_size DESC LIMIT 1'),
    covering: db.prepare<[bigint], CheckpointRow>('SELECT * FROM checkpoints WHERE tree_size >= ? ORDER BY tree_size LIMIT 1'),
    insert: db.prepare<[number, string, string, string, string]>(
      'INSERT OR IGNORE INTO checkpoints (tree_size, root_hash, issued_at, key_id, signature) VALUES (?, ?, ?, ?, ?)',
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
    insert: async (c) => s.insert.run(c.treeSize, c.rootHash, c.issuedAt, c.keyId, c.signature).changes === 1,
  };
};

/** The checkpoints as one read connection sees them (the verify snapshot's). */
export const readCheckpoints = (db: Db): Checkpoint[] =>
  db.prepare<[], CheckpointRow>('SELECT * FROM checkpoints ORDER BY tree_size').all().map(toCheckpoint);
