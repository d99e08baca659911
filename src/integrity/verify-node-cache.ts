import { fromHex, leafHash, nodeHash } from './merkle.ts';
import type { IntegrityStore, MerkleNode, MerkleNodeCache } from './port.ts';
import type { IntegrityFailure } from './verify-report.ts';

const PAGE = 4096;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The hashes of one level of the tree, read in pages: leaves (level 0) from the events, nodes from the cache. */
const levelReader = (nodes: MerkleNodeCache, leaves: IntegrityStore['leafHashes'], level: number) => {
  let from = -PAGE;
  let page = new Map<number, Buffer>();
  return async (index: number): Promise<Buffer | undefined> => {
    if (index < from || index >= from + PAGE) {
      from = index - (index % PAGE);
      page = new Map();
      if (level === 0) {
        for (const leaf of await leaves(BigInt(from), PAGE)) if (leaf.hash) page.set(Number(leaf.position), leafHash(fromHex(leaf.hash)));
      } else {
        for (const node of nodes.nodesAt(level, from, PAGE)) if (node.index < from + PAGE) page.set(node.index, node.hash);
      }
    }
    return page.get(index);
  };
};

const mismatch = (level: number, index: number, expected: Buffer, stored: Buffer | undefined): IntegrityFailure => ({
  kind: 'merkle-node-mismatch',
  position: String(index * 2 ** level),
  message:
    `the Merkle node cache ${stored ? 'holds a node that does not match the events' : 'lacks a node'} at level ${level}, index ${index} ` +
    `(leaves ${index * 2 ** level}–${(index + 1) * 2 ** level - 1}): it is derived data, so the events are intact, but it was edited, ` +
    'deleted or damaged; the service rebuilds such a node from the events before it proves anything from it',
  expected: expected.toString('hex'),
  found: stored ? stored.toString('hex') : '(none)',
});

/**
 * Recomputes every node the cache holds for the first `size` leaves, level by level from the
 * events' hashes (checked by the chain pass before this runs): each stored node must equal
 * the hash of its two children, and no node may be missing where the cache claims to have
 * indexed. By induction from the leaves every stored node is then the tree's own. A node for
 * leaves beyond `ledgerSize` (the ledger as it is now) covers events that do not exist.
 */
export const checkNodeCache = async (
  nodes: MerkleNodeCache,
  leaves: IntegrityStore['leafHashes'],
  size: number,
  ledgerSize: number,
): Promise<IntegrityFailure | undefined> => {
  const covered = Math.min(size, nodes.indexedSize());
  for (let level = 1; level <= 52; level++) {
    const children = levelReader(nodes, leaves, level - 1);
    const count = Math.floor(covered / 2 ** level);
    let expectedIndex = 0;
    for (let from = 0; ;) {
      const page: MerkleNode[] = nodes.nodesAt(level, from, PAGE);
      for (const node of page) {
        if ((node.index + 1) * 2 ** level > ledgerSize) {
          return {
            kind: 'merkle-node-mismatch',
            position: String(node.index * 2 ** level),
            message:
              `the Merkle node cache holds a node at level ${level}, index ${node.index} for leaves the ledger does not ` +
              `hold (it has ${ledgerSize} events)`,
            expected: '(none)',
            found: node.hash.toString('hex'),
          };
        }
        if (node.index >= count) continue; // indexed after this view was taken
        if (expectedIndex < node.index) {
          const [left, right] = [await children(2 * expectedIndex), await children(2 * expectedIndex + 1)];
          return mismatch(level, expectedIndex, nodeHash(left!, right!), undefined);
        }
        const [left, right] = [await children(2 * node.index), await children(2 * node.index + 1)];
        // A missing child was named at the level below, which is checked first.
        const expected = nodeHash(left!, right!);
        if (!expected.equals(node.hash)) return mismatch(level, node.index, expected, node.hash);
        expectedIndex = node.index + 1;
      }
      if (page.length < PAGE) break;
      from = page.at(-1)!.index + 1;
      await yieldToEventLoop();
    }
    if (expectedIndex < count) {
      const [left, right] = [await children(2 * expectedIndex), await children(2 * expectedIndex + 1)];
      return mismatch(level, expectedIndex, nodeHash(left!, right!), undefined);
    }
  }
  return undefined;
};
