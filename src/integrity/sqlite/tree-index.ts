import type { Db } from '../../store/sqlite/connection.ts';
import { fromHex, leafHash } from '../merkle.ts';
import { CompactRange, consistencyProof, inclusionProof, subtreeLevels, treeRoot, type PerfectSubtree } from '../merkle-proofs.ts';

const CHUNK = 20_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Thrown when the events table no longer looks like an append-only ledger (a gap, a missing hash). */
export class LedgerDamaged extends Error {}

/**
 * The ledger Merkle tree, kept in SQLite as perfect subtrees (merkle_nodes). Filled lazily:
 * catchUp() indexes whatever has been committed since, in chunks that yield to the event
 * loop, so appends never pay for the tree. Every proof then reads O(log n) rows.
 */
export class TreeIndex {
  #catchingUp: Promise<number> | undefined;
  readonly #s;

  constructor(private readonly db: Db) {
    this.#s = {
      eventCount: db.prepare<[], { n: number }>('SELECT coalesce(max(position) + 1, 0) AS n FROM events'),
      eventHash: db.prepare<[number], { hash: string | null }>('SELECT hash FROM events WHERE position = ?'),
      eventHashes: db.prepare<[number, number], { position: number; hash: string | null }>(
        'SELECT position, hash FROM events WHERE position >= ? ORDER BY position LIMIT ?',
      ),
      node: db.prepare<[number, number], { hash: Buffer }>('SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?'),
      lastPair: db.prepare<[], { idx: number | null }>('SELECT max(idx) AS idx FROM merkle_nodes WHERE level = 1'),
      insertNode: db.prepare<[number, number, Buffer]>('INSERT OR IGNORE INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)'),
    };
  }

  /** How many events the ledger holds: the size of the tree once caught up. */
  ledgerSize(): number {
    return this.#s.eventCount.get()!.n;
  }

  /**
   * Leaves whose every perfect subtree is stored. Level-1 nodes exist for every complete pair,
   * so twice their count is a size whose whole decomposition is in the table.
   */
  indexedSize(): number {
    const idx = this.#s.lastPair.get()!.idx;
    return idx === null ? 0 : (idx + 1) * 2;
  }

  /** Indexes every committed event; one run at a time, later callers share it. Returns the size. */
  catchUp(): Promise<number> {
    this.#catchingUp ??= this.#run().finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  /** Resolves when no catch-up is running (used before closing the connection). */
  async whenIdle(): Promise<void> {
    await this.#catchingUp?.catch(() => undefined);
  }

  async #run(): Promise<number> {
    const range = this.#frontier(this.indexedSize());
    for (;;) {
      const rows = this.#s.eventHashes.all(range.size, CHUNK);
      if (rows.length === 0) return range.size;
      this.db
        .transaction(() => {
          for (const row of rows) {
            if (row.position !== range.size) throw new LedgerDamaged(`the ledger has no event at position ${range.size}`);
            if (row.hash === null) throw new LedgerDamaged(`the event at position ${row.position} has no chain hash`);
            range.push(leafHash(fromHex(row.hash)), (level, idx, hash) => this.#s.insertNode.run(level, idx, hash));
          }
        })
        .immediate();
      await yieldToEventLoop();
    }
  }

  /** The compact range of a fully indexed size, read back from merkle_nodes (largest subtree first). */
  #frontier(size: number): CompactRange {
    let offset = 0;
    const subtrees = subtreeLevels(size).map((level) => {
      const hash = this.perfect(level, offset / 2 ** level);
      offset += 2 ** level;
      return { level, hash };
    });
    return CompactRange.fromSubtrees(size, subtrees);
  }

  /** A perfect subtree's hash: a leaf from the events table, anything larger from merkle_nodes. */
  readonly perfect: PerfectSubtree = (level, index) => {
    if (level === 0) {
      const row = this.#s.eventHash.get(index);
      if (!row?.hash) throw new LedgerDamaged(`the event at position ${index} is missing or has no chain hash`);
      return leafHash(fromHex(row.hash));
    }
    const row = this.#s.node.get(level, index);
    if (!row) throw new LedgerDamaged(`the Merkle tree has no node at level ${level}, index ${index}: not yet indexed`);
    return row.hash;
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
