import { fromHex, leafHash } from './merkle.ts';
import { CompactRange, consistencyProof, inclusionProof, subtreeLevels, treeRoot, type PerfectSubtree } from './merkle-proofs.ts';
import type { IntegrityStore, MerkleNode, MerkleNodeCache } from './port.ts';

const CHUNK = 20_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Thrown when the ledger no longer looks like an append-only ledger (a gap, a missing hash). */
export class LedgerDamaged extends Error {}

/**
 * The ledger Merkle tree over any backend: leaves are the events' chain hashes by dense
 * position, read through the integrity port; perfect subtrees are kept in the backend's node
 * cache. Filled lazily: catchUp() indexes whatever has been committed since, in chunks that
 * yield to the event loop, so appends never pay for the tree. Every proof then reads O(log n)
 * cached nodes. Sizes and indexes are numbers inside the tree (see MerkleNodeCache); they
 * become bigint where they cross the port.
 */
export class TreeIndex {
  #catchingUp: Promise<number> | undefined;

  constructor(
    private readonly leaves: Pick<IntegrityStore, 'leafHashes'>,
    private readonly nodes: MerkleNodeCache,
  ) {}

  /** Leaves whose every perfect subtree is stored. */
  indexedSize(): number {
    return this.nodes.indexedSize();
  }

  /** Indexes every committed event; one run at a time, later callers share it. Returns the size. */
  catchUp(): Promise<number> {
    this.#catchingUp ??= this.#run().finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  /** Resolves when no catch-up is running (used before the port is closed). */
  async whenIdle(): Promise<void> {
    await this.#catchingUp?.catch(() => undefined);
  }

  async #run(): Promise<number> {
    const range = this.#frontier(this.indexedSize());
    for (;;) {
      const rows = await this.leaves.leafHashes(BigInt(range.size), CHUNK);
      if (rows.length === 0) return range.size;
      // Checked before anything is stored, so a damaged chunk stores none of its nodes.
      const completed: MerkleNode[] = [];
      for (const row of rows) {
        if (row.position !== BigInt(range.size)) throw new LedgerDamaged(`the ledger has no event at position ${range.size}`);
        if (row.hash === null) throw new LedgerDamaged(`the event at position ${row.position} has no chain hash`);
        range.push(leafHash(fromHex(row.hash)), (level, index, hash) => completed.push({ level, index, hash }));
      }
      this.nodes.store(completed);
      await yieldToEventLoop();
    }
  }

  /** The compact range of a fully indexed size, read back from the cache (largest subtree first). */
  #frontier(size: number): CompactRange {
    let offset = 0;
    const subtrees = subtreeLevels(size).map((level) => {
      const hash = this.perfect(level, offset / 2 ** level);
      offset += 2 ** level;
      return { level, hash };
    });
    return CompactRange.fromSubtrees(size, subtrees);
  }

  /** A perfect subtree's hash: a leaf from the event's chain hash, anything larger from the cache. */
  readonly perfect: PerfectSubtree = (level, index) => {
    if (level === 0) {
      const hash = this.nodes.leaf(index);
      if (!hash) throw new LedgerDamaged(`the event at position ${index} is missing or has no chain hash`);
      return leafHash(fromHex(hash));
    }
    const hash = this.nodes.node(level, index);
    if (!hash) throw new LedgerDamaged(`the Merkle tree has no node at level ${level}, index ${index}: not yet indexed`);
    return hash;
  };

  root(size: number): Buffer {
    return treeRoot(size, this.perfect);
  }

  inclusionProof(leafIndex: number, size: number): Buffer[] {
    return inclusionProof(leafIndex, size, this.perfect);
  }

  consistencyProof(first: number, second: number): Buffer[] {
    return consistencyProof(first, second, this.perfect);
  }
}
