import type { Database as Db } from 'better-sqlite3';
import type { MerkleNodeCache } from '../port.ts';

/**
 * The Merkle tree's perfect subtrees in the ledger file's merkle_nodes table (level ≥ 1; a
 * leaf is read from events.hash). Several processes may index at once: every node is a pure
 * function of the events, so INSERT OR IGNORE keeps whichever wrote first.
 */
export const sqliteMerkleNodeCache = (db: Db): MerkleNodeCache => {
  const s = {
    leaf: db.prepare<[number], { hash: string | null }>('SELECT hash FROM events WHERE position = ?'),
    node: db.prepare<[number, number], { hash: Buffer }>('SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?'),
    lastPair: db.prepare<[], { idx: number | null }>('SELECT max(idx) AS idx FROM merkle_nodes WHERE level = 1'),
    insert: db.prepare<[number, number, Buffer]>('INSERT OR IGNORE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
  };
  const store = db.transaction((nodes: Parameters<MerkleNodeCache['store']>[0]) => {
    for (const { level, index, hash } of nodes) s.insert.run(level, index, hash);
  });
  return {
    leaf: (position) => {
      const row = s.leaf.get(position);
      return row === undefined ? undefined : row.hash;
    },
    node: (level, index) => s.node.get(level, index)?.hash,
    // Level-1 nodes exist for every complete pair, so twice their count is a size whose whole decomposition is stored.
    indexedSize: () => {
      const idx = s.lastPair.get()!.idx;
      return idx === null ? 0 : (idx + 1) * 2;
    },
    store: (nodes) => {
      if (nodes.length > 0) store.immediate(nodes);
    },
  };
};
