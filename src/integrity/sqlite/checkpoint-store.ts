import type { Db } from '../../store/sqlite/connection.ts';
import type { Checkpoint } from '../checkpoint.ts';

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

/** Signed checkpoints as stored: append-only (triggers), at most one per tree size. */
export const checkpointStore = (db: Db) => {
  const s = {
    all: db.prepare<[], CheckpointRow>('SELECT * FROM checkpoints ORDER BY tree_size'),
    page: db.prepare<[number, number], CheckpointRow>('SELECT * FROM checkpoints WHERE tree_size > ? ORDER BY tree_size LIMIT ?'),
    latest: db.prepare<[], CheckpointRow>('SELECT * FROM checkpoints ORDER BY tree_size DESC LIMIT 1'),
    covering: db.prepare<[number], CheckpointRow>('SELECT * FROM checkpoints WHERE tree_size >= ? ORDER BY tree_size LIMIT 1'),
    insert: db.prepare<[number, string, string, string, string]>(
      'INSERT OR IGNORE INTO checkpoints (tree_size, root_hash, issued_at, key_id, signature) VALUES (?, ?, ?, ?, ?)',
    ),
  };
  return {
    all: (): Checkpoint[] => s.all.all().map(toCheckpoint),
    /** Checkpoints with a tree size above `after`, smallest first: keyset pages for the API. */
    page: (after: number, limit: number): Checkpoint[] => s.page.all(after, limit).map(toCheckpoint),
    latest: (): Checkpoint | undefined => {
      const row = s.latest.get();
      return row && toCheckpoint(row);
    },
    /** The smallest checkpoint whose tree holds at least `size` events. */
    covering: (size: number): Checkpoint | undefined => {
      const row = s.covering.get(size);
      return row && toCheckpoint(row);
    },
    /** False when a checkpoint of that size already exists (another process signed it first). */
    insert: (c: Checkpoint): boolean => s.insert.run(c.treeSize, c.rootHash, c.issuedAt, c.keyId, c.signature).changes === 1,
  };
};
export type CheckpointStore = ReturnType<typeof checkpointStore>;
