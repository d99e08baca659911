import { fromHex, leafHash, nodeHash } from './merkle.ts';
import { CompactRange, consistencyProof, inclusionProof, subtreeLevels, treeRoot, type PerfectSubtree } from './merkle-proofs.ts';
import type { IntegrityStore, MerkleNode, MerkleNodeCache } from './port.ts';

/**
 * Leaves hashed between two turns of the event loop, and leaves whose nodes are stored in one
 * transaction. A server started on a ledger whose tree is not indexed yet (a ledger file no
 * service has indexed) indexes it while it answers requests: at about 9 µs a leaf, 20,000 leaves at a
 * turn held every request for some 180 ms. Nodes are still stored 20,000 leaves at a time: each
 * store is a commit, and a commit's sync costs more than hashing 2,000 leaves.
 */
const LEAVES_PER_TURN = 2_000;
const LEAVES_PER_STORE = 20_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const hex = (hash: Buffer | undefined) => (hash ? hash.toString('hex') : null);

/** Thrown when the ledger no longer looks like an append-only ledger (a gap, a missing hash), or a proof cannot be made sound. */
export class LedgerDamaged extends Error {}

/** A stored node that is missing or does not match its two children: the node cache is damaged there. */
export class MerkleNodeMismatch extends LedgerDamaged {
  constructor(
    readonly level: number,
    readonly index: number,
    readonly stored: Buffer | undefined,
  ) {
    super(
      `the Merkle node cache ${stored ? 'holds a node that does not match its children' : 'lacks a node'} at level ${level}, ` +
        `index ${index}`,
    );
  }
}

/** A node of the cache found damaged, and what the events say it must be. */
export interface TreeDamage {
  level: number;
  index: number;
  /** The hash that was stored there (hex), or null when the node was missing. */
  stored: string | null;
  /** The hash the events give (hex); null when the node covered leaves the ledger does not hold and was dropped. */
  rebuilt: string | null;
}

const keyOf = (level: number, index: number) => `${level}/${index}`;

/**
 * The ledger Merkle tree over any backend: leaves are the events' chain hashes by dense
 * position, read through the integrity port; perfect subtrees are kept in the backend's node
 * cache. Filled lazily: catchUp() indexes whatever has been committed since, in chunks that
 * yield to the event loop, so appends never pay for the tree. Every proof then reads O(log n)
 * cached nodes, and each node it uses is checked against its two children first: a node that
 * does not match is never served. Damage found is reported (onDamage) and rebuilt from the
 * events. Sizes and indexes are numbers inside the tree (see MerkleNodeCache); they become
 * bigint where they cross the port.
 */
export class TreeIndex {
  #catchingUp: Promise<number> | undefined;

  constructor(
    private readonly leaves: Pick<IntegrityStore, 'leafHashes' | 'ledgerSize'>,
    private readonly nodes: MerkleNodeCache,
    private readonly onDamage: (damage: TreeDamage[]) => void = () => undefined,
  ) {}

  /** Leaves whose every perfect subtree is stored. */
  indexedSize(): number {
    return this.nodes.indexedSize();
  }

  /** Indexes every committed event; one run at a time, later callers share it. Returns the size. */
  catchUp(): Promise<number> {
    this.#catchingUp ??= this.#run(false).finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  /** Recomputes every node from the events after any run in progress, replacing (and reporting) those that differ. */
  async rebuild(): Promise<number> {
    await this.whenIdle();
    this.#catchingUp ??= this.#run(true).finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  /** Resolves when no catch-up is running (used before the port is closed). */
  async whenIdle(): Promise<void> {
    await this.#catchingUp?.catch(() => undefined);
  }

  async #run(fromScratch: boolean): Promise<number> {
    const ledgerSize = Number(await this.leaves.ledgerSize());
    if (this.indexedSize() > ledgerSize) {
      this.onDamage(this.nodes.prune(ledgerSize).map((n) => ({ level: n.level, index: n.index, stored: hex(n.hash), rebuilt: null })));
    }
    let range = new CompactRange();
    if (!fromScratch) {
      try {
        range = this.#frontier(this.indexedSize());
      } catch (error) {
        // The stored edge of the tree is damaged: index again from the first event, repairing on the way.
        if (!(error instanceof MerkleNodeMismatch)) throw error;
        this.#reportMismatch(error);
      }
    }
    // Checked before anything is stored, so a damaged stretch stores none of its nodes.
    let completed: MerkleNode[] = [];
    let storedUpTo = range.size;
    for (;;) {
      const rows = await this.leaves.leafHashes(BigInt(range.size), LEAVES_PER_TURN);
      for (const row of rows) {
        if (row.position !== BigInt(range.size)) throw new LedgerDamaged(`the ledger has no event at position ${range.size}`);
        if (row.hash === null) throw new LedgerDamaged(`the event at position ${row.position} has no chain hash`);
        range.push(leafHash(fromHex(row.hash)), (level, index, hash) => completed.push({ level, index, hash }));
      }
      const last = rows.length < LEAVES_PER_TURN;
      if (last || range.size - storedUpTo >= LEAVES_PER_STORE) {
        this.#store(completed);
        completed = [];
        storedUpTo = range.size;
      }
      if (last) return range.size;
      await yieldToEventLoop();
    }
  }

  /** Stores freshly computed nodes; a different node already stored in a place is reported and replaced. */
  #store(completed: MerkleNode[]): void {
    const differing = this.nodes.store(completed);
    if (differing.length === 0) return;
    const computed = new Map(completed.map((n) => [keyOf(n.level, n.index), n]));
    const repairs = differing.map((d) => computed.get(keyOf(d.level, d.index))!);
    this.nodes.replace(repairs);
    this.onDamage(differing.map((d, i) => ({ level: d.level, index: d.index, stored: hex(d.hash), rebuilt: hex(repairs[i]!.hash) })));
  }

  #reportMismatch(error: MerkleNodeMismatch): void {
    this.onDamage([{ level: error.level, index: error.index, stored: hex(error.stored), rebuilt: null }]);
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

  #leaf(position: number): Buffer {
    const hash = this.nodes.leaf(position);
    if (!hash) throw new LedgerDamaged(`the event at position ${position} is missing or has no chain hash`);
    return leafHash(fromHex(hash));
  }

  #stored(level: number, index: number): Buffer {
    if (level === 0) return this.#leaf(index);
    const hash = this.nodes.node(level, index);
    if (!hash) throw new MerkleNodeMismatch(level, index, undefined);
    return hash;
  }

  /** A perfect subtree's hash, checked against its two children: a leaf from the event's chain hash, anything larger from the cache. */
  #checked(memo?: Map<string, Buffer>): PerfectSubtree {
    return (level, index) => {
      if (level === 0) return this.#leaf(index);
      const known = memo?.get(keyOf(level, index));
      if (known) return known;
      const stored = this.#stored(level, index);
      const children = nodeHash(this.#stored(level - 1, 2 * index), this.#stored(level - 1, 2 * index + 1));
      if (!children.equals(stored)) throw new MerkleNodeMismatch(level, index, stored);
      memo?.set(keyOf(level, index), stored);
      return stored;
    };
  }

  readonly perfect: PerfectSubtree = this.#checked();

  root(size: number): Buffer {
    return treeRoot(size, this.perfect);
  }

  /** `memo` shares the nodes already checked between the proofs of one answer (an export proves every event of a plan). */
  inclusionProof(leafIndex: number, size: number, memo?: Map<string, Buffer>): Buffer[] {
    return inclusionProof(leafIndex, size, memo ? this.#checked(memo) : this.perfect);
  }

  consistencyProof(first: number, second: number): Buffer[] {
    return consistencyProof(first, second, this.perfect);
  }

  /**
   * Runs `compute` over the tree; when it meets a damaged node, or its result does not hold
   * (`holds`: a proof against a signed root), rebuilds the cache from the events and runs it
   * once more, returning that result for the caller to judge again: if it still does not
   * hold, the events themselves disagree with what was signed, which `ledger verify` names.
   */
  async withRepair<T>(compute: () => T, holds: (result: T) => boolean = () => true): Promise<T> {
    try {
      const result = compute();
      if (holds(result)) return result;
    } catch (error) {
      if (!(error instanceof MerkleNodeMismatch)) throw error;
      this.#reportMismatch(error);
    }
    await this.rebuild();
    return compute();
  }
}
