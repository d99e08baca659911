import { describe, expect, it } from 'vitest';
import { fromHex, leafHash, nodeHash } from '../../../src/integrity/merkle.ts';
import { verifyConsistency, verifyInclusion } from '../../../src/integrity/merkle.ts';
import { CompactRange } from '../../../src/integrity/merkle-proofs.ts';
import { TreeIndex } from '../../../src/integrity/tree-index.ts';
import { collect } from '../../support/collect.ts';
import type { IntegrityContractContext } from './contract.ts';
import { seedStreams, threeStreams } from './seed.ts';

const hash = (byte: number) => Buffer.alloc(32, byte);

export const merkleNodeContract = ({ ports, reopen }: IntegrityContractContext): void => {
  describe('the Merkle node cache, and the tree over the port', () => {
    it('stores nodes, keeps the first of a place, and counts the leaves whose pairs are all stored', async () => {
      const { merkleNodes } = ports().integrity;
      expect(merkleNodes.indexedSize()).toBe(0);
      expect(merkleNodes.node(1, 0)).toBeUndefined();
      merkleNodes.store([
        { level: 1, index: 0, hash: hash(1) },
        { level: 1, index: 1, hash: hash(2) },
        { level: 2, index: 0, hash: hash(3) },
      ]);
      // A different node for a stored place is not taken: the stored one is handed back as damage.
      expect(merkleNodes.store([{ level: 1, index: 0, hash: hash(9) }])).toEqual([{ level: 1, index: 0, hash: hash(1) }]);
      expect(merkleNodes.store([{ level: 1, index: 1, hash: hash(2) }])).toEqual([]);
      expect(merkleNodes.node(1, 0)).toEqual(hash(1));
      expect(merkleNodes.node(2, 0)).toEqual(hash(3));
      expect(merkleNodes.indexedSize()).toBe(4);
      merkleNodes.store([]);
      expect(merkleNodes.indexedSize()).toBe(4);
    });

    it('replaces nodes, lists one level in index order, and drops nodes beyond a size', async () => {
      const { merkleNodes } = ports().integrity;
      merkleNodes.store([0, 1, 2, 3].map((index) => ({ level: 1, index, hash: hash(index + 1) })));
      merkleNodes.store([
        { level: 2, index: 0, hash: hash(20) },
        { level: 2, index: 1, hash: hash(21) },
        { level: 3, index: 0, hash: hash(30) },
      ]);
      merkleNodes.replace([{ level: 1, index: 2, hash: hash(99) }]);
      expect(merkleNodes.node(1, 2)).toEqual(hash(99));
      expect(merkleNodes.nodesAt(1, 1, 2)).toEqual([
        { level: 1, index: 1, hash: hash(2) },
        { level: 1, index: 2, hash: hash(99) },
      ]);
      expect(merkleNodes.nodesAt(2, 0, 10).map((n) => n.index)).toEqual([0, 1]);
      // Leaves 6 and 7 are not there: the nodes covering them go.
      expect(merkleNodes.prune(6).map((n) => [n.level, n.index])).toEqual([
        [1, 3],
        [2, 1],
        [3, 0],
      ]);
      expect(merkleNodes.indexedSize()).toBe(6);
      expect(merkleNodes.nodesAt(2, 0, 10).map((n) => n.index)).toEqual([0]);
    });

    it("reads a leaf as the event's chain hash at that position, and nothing past the end", async () => {
      const { events, integrity } = ports();
      await seedStreams(events, threeStreams(), 1);
      const stored = await collect(events.readAll());
      stored.forEach((event, i) => expect(integrity.merkleNodes.leaf(i)).toBe(event.hash));
      expect(integrity.merkleNodes.leaf(stored.length)).toBeUndefined();
    });

    it('lets the tree index catch up to the ledger and prove from it: roots, inclusion and consistency match a tree built from the events', async () => {
      const { events, integrity } = ports();
      await seedStreams(events, threeStreams(), 3);
      const leaves = (await collect(events.readAll())).map((e) => leafHash(fromHex(e.hash)));
      const tree = new TreeIndex(integrity, integrity.merkleNodes);
      expect(await tree.catchUp()).toBe(leaves.length);
      const roots = leaves.map((_, i) => {
        const range = new CompactRange();
        for (const leaf of leaves.slice(0, i + 1)) range.push(leaf);
        return range.root();
      });
      for (const size of [1, 2, 3, 7, 8, 13, 18]) expect(tree.root(size)).toEqual(roots[size - 1]);
      expect(nodeHash(leaves[0]!, leaves[1]!)).toEqual(tree.root(2));
      const stored = await collect(events.readAll());
      expect(
        verifyInclusion({
          leafIndex: 11,
          treeSize: 18,
          eventHash: fromHex(stored[11]!.hash),
          proof: tree.inclusionProof(11, 18),
          root: roots[17]!,
        }),
      ).toBe(true);
      expect(
        verifyConsistency({
          firstSize: 7,
          secondSize: 18,
          firstRoot: roots[6]!,
          secondRoot: roots[17]!,
          proof: tree.consistencyProof(7, 18),
        }),
      ).toBe(true);

      // Another process's tree over the same ledger starts from what this one stored.
      await seedStreams(events, threeStreams(), 1);
      const again = await reopen();
      const later = new TreeIndex(again.integrity, again.integrity.merkleNodes);
      expect(later.indexedSize()).toBe(18);
      expect(await later.catchUp()).toBe(24);
      expect(later.root(18)).toEqual(roots[17]);
    });
  });
};
