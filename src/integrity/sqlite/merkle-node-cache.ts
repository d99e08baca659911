import type { Database as Db } from 'better-sqlite3';
import type { MerkleNode, MerkleNodeCache } from '../port.ts';

/**
 * The Merkle tree's perfect subtrees in the ledger file's merkle_nodes table (level ≥ 1; a
 * leaf is read from events.hash). Several processes may index at once: every node is a pure
 * function of the events, so the first stored stands, and a stored node that differs from a
 * freshly computed one is handed back as damage rather than silently kept or overwritten.
 */
export const sqliteMerkleNodeCache = (db: Db): MerkleNodeCache => {
  const s = {
    leaf: db.prepare<[number], { hash: string | null }>('SELECT hash FROM events WHERE position = ?'),
    node: db.prepare<[number, number], { hash: Buffer }>('SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?'),
    lastPair: db.prepare<[], { idx: number | null }>('SELECT max(idx) AS idx FROM merkle_nodes WHERE level = 1'),
    insert: db.prepare<[number, number, Buffer]>('INSERT OR IGNORE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
    replace: db.prepare<[number, number, Buffer]>('INSERT OR REPLACE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
    beyond: db.prepare<[number], { level: number; index: number; hash: Buffer }>(
      'SELECT level, idx AS "index", hash FROM merkle_nodes WHERE ((idx + 1) << level) > ? ORDER BY level, idx',
    ),
    drop: db.prepare<[number, number]>('DELETE FROM merkle_nodes WHERE level = ? AND idx = ?'),
    level: db.prepare<[number, number, number], { level: number; index: number; hash: Buffer }>(
      'SELECT level, idx AS "index", hash FROM merkle_nodes WHERE level = ? AND idx >= ? ORDER BY idx LIMIT ?',
    ),
  };
  const store = db.transaction((nodes: MerkleNode[]): MerkleNode[] => {
    const differing: MerkleNode[] = [];
    for (const { level, index, hash } of nodes) {
      if (s.insert.run(level, index, hash).changes === 1) continue;
      // Already there: written by another process (the same hash) or damaged.
      const stored = s.node.get(level, index)?.hash;
      if (stored && !stored.equals(hash)) differing.push({ level, index, hash: stored });
    }
    return differing;
  });
  const replace = db.transaction((nodes: MerkleNode[]) => {
    for (const { level, index, hash } of nodes) s.replace.run(level, index, hash);
  });
  const prune = db.transaction((size: number) => {
    const beyond = s.beyond.all(size);
    for (const node of beyond) s.drop.run(node.level, node.index);
    return beyond;
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
    store: (nodes) => (nodes.length > 0 ? store.immediate(nodes) : []),
    replace: (nodes) => {
      if (nodes.length > 0) replace.immediate(nodes);
    },
    nodesAt: (level, fromIndex, limit) => s.level.all(level, fromIndex, limit),
    prune: (size) => prune.immediate(size),
  };
};
