import type { MerkleNode, MerkleNodeCache } from './port.ts';

const keyOf = (level: number, index: number) => `${level}/${index}`;
const PAGE = 4096;
/** Levels a tree of 2^53 leaves may have: far beyond any ledger, as in verify-node-cache.ts. */
const LEVELS = 52;

/**
 * The stored node cache as a reader that may change nothing sees it (`ledger verify` of a read-only copy): nodes the tree
 * index works out, or repairs, are kept in this process's memory and never written; every stored node is read as it is.
 * What reads the cache to check it (nodesAt, indexedSize) sees the stored nodes only, so verify judges the file's own cache,
 * not what was worked out beside it; a stored node dropped as beyond the ledger's end is hidden rather than deleted.
 */
export const merkleNodeOverlay = (stored: MerkleNodeCache): MerkleNodeCache => {
  const memory = new Map<string, Buffer>();
  /** Stored nodes covering a leaf at or beyond this size are hidden (prune); undefined while none were. */
  let limit: number | undefined;
  const visible = (level: number, index: number) => limit === undefined || (index + 1) * 2 ** level <= limit;
  const storedNode = (level: number, index: number) => (visible(level, index) ? stored.node(level, index) : undefined);
  const storedAt = (level: number, fromIndex: number, count: number) =>
    stored.nodesAt(level, fromIndex, count).filter((n) => visible(n.level, n.index));

  return {
    node: (level, index) => memory.get(keyOf(level, index)) ?? storedNode(level, index),
    leaf: (position) => stored.leaf(position),
    indexedSize: () => {
      const size = stored.indexedSize();
      return limit === undefined ? size : Math.min(size, Math.floor(limit / 2) * 2);
    },
    store(nodes) {
      const differing: MerkleNode[] = [];
      for (const node of nodes) {
        const key = keyOf(node.level, node.index);
        const there = memory.get(key) ?? storedNode(node.level, node.index);
        if (there === undefined) memory.set(key, node.hash);
        else if (!there.equals(node.hash)) differing.push({ ...node, hash: there });
      }
      return differing;
    },
    replace(nodes) {
      for (const node of nodes) memory.set(keyOf(node.level, node.index), node.hash);
    },
    nodesAt: storedAt,
    prune(size) {
      const beyond: MerkleNode[] = [];
      for (let level = 1; level <= LEVELS; level++) {
        for (let from = Math.floor(size / 2 ** level); ;) {
          const page = storedAt(level, from, PAGE);
          beyond.push(...page.filter((n) => (n.index + 1) * 2 ** level > size));
          if (page.length < PAGE) break;
          from = page.at(-1)!.index + 1;
        }
      }
      for (const key of [...memory.keys()]) {
        const [level, index] = key.split('/').map(Number) as [number, number];
        if ((index + 1) * 2 ** level > size) memory.delete(key);
      }
      limit = Math.min(limit ?? size, size);
      return beyond;
    },
  };
};
