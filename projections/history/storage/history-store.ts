import { encodeBlock } from './block-codec.ts';
import type { LineBlock } from './line-blocks.ts';

/**
 * Where the history of the plan lines is kept (docs/projections.md, "Time travel"): beside the
 * live documents in the read store, written in the same transaction as them and the
 * checkpoint, and rebuilt with them. Per plan:
 * - ledger blocks: the plan's lines after every event, in ledger order (line-blocks.ts);
 * - business blocks: the plan's lines at every business day on which one of its facts took
 *   effect, as the ledger knows them now;
 * - a cursor: what the writer needs to carry on (history-cursor.ts), and whether some part's
 *   business lines wait to be worked out again ("dirty").
 * Values longer than a date are stored once, by id (line-codec.ts).
 */
export interface HistoryWrite {
  cursors: { plan: string; cursor: string; dirty: boolean; knowledgePos: number }[];
  /** Blocks to write (a block is replaced by one with the same plan and first point). */
  ledgerBlocks: { plan: string; block: StoredBlock }[];
  /** A plan's business blocks from `fromSeq` on, replaced by these (earlier blocks are kept). */
  business: { plan: string; fromSeq: number; blocks: StoredBlock[] }[];
  values: [id: number, json: string][];
}

/**
 * A block as it is written: its place and first point, and its base and changes already as
 * the stored bytes (block-codec.ts). A write is encoded where it is worked out (a rebuild's
 * worker thread), so the thread committing it holds byte arrays rather than a graph of small
 * arrays, and does not encode on the one thread every chunk waits for.
 */
export interface StoredBlock {
  seq: number;
  first: number;
  bytes: Uint8Array;
}

export const storedBlock = (block: LineBlock): StoredBlock => ({ seq: block.seq, first: block.first, bytes: encodeBlock(block) });

export const noHistoryWrite = (): HistoryWrite => ({ cursors: [], ledgerBlocks: [], business: [], values: [] });

/**
 * What a writer (the runner, or a rebuild's worker thread) reads back. Every block returned is
 * new, and the caller's to change: the writer extends its plans' last blocks in place
 * (history-writer.ts), so a cache of decoded blocks here would see them change under it.
 */
export interface HistoryReads {
  cursor(plan: string): string | undefined;
  lastLedgerBlock(plan: string): LineBlock | undefined;
  /**
   * The business blocks that may hold changes at `day` or later: from the last block starting
   * strictly before it (or the first block), to the end.
   */
  businessBlocksFrom(plan: string, day: number): LineBlock[];
  /** Plans whose business lines wait to be worked out again, in plan id order. */
  dirtyPlans(): string[];
}

/** One plan's block at a point, for the cross-plan views. */
export interface PlanBlockAt {
  plan: string;
  /** The block's bytes (block-codec.ts): a reader takes only the lines it shows from them. */
  bytes: Uint8Array | undefined;
  /** Some part's business lines wait to be worked out again: the business clock must be folded for this plan. */
  dirty: boolean;
  /** The position of the plan's last correction: it counts at every business day. */
  knowledgePos: number;
  /** The position of the plan's last event the history holds. */
  lastPos: number;
}

export interface HistoryStore extends HistoryReads {
  /** Applies a write; the read store calls it inside its own transaction. */
  write(write: HistoryWrite): void;
  /** Every plan with a history, in plan id order from after `after` (up to `until`, when given), with its ledger block at a position. */
  ledgerBlocksAt(position: number, after?: string, until?: string): IterableIterator<PlanBlockAt>;
  /** One plan's latest ledger block (its lines now), or undefined when it has no history. */
  latestLedgerBlockOf(plan: string): PlanBlockAt | undefined;
  /** The same with the business block at a day. */
  businessBlocksAt(day: number, after?: string, until?: string): IterableIterator<PlanBlockAt>;
  /** Every plan with a history, in plan id order (as this process last read them: a split of a read, not its answer). */
  planIds(): readonly string[];
  /** Every ledger block of one plan, in order. */
  ledgerBlocksOf(plan: string): LineBlock[];
  /**
   * The values with these ids, as that generation of the history holds them: HistoryChanged
   * ('rebuilt') when another is in place, since ids mean nothing across a reset.
   */
  values(ids: number[], generation: number): [number, unknown][];
  maxValueId(): number;
  /** The plans whose history holds an event after `position`: what another process sharing the read store wrote since then. */
  plansWrittenAfter(position: number): string[];
  /** Changes whenever the history is reset: value ids and lines a reader kept from before then mean nothing now. */
  generation(): number;
  /**
   * Runs `read` in one read transaction of this connection, with the state of the history it saw
   * there: two reads, on any connections, that saw the same state saw one state of the history. A
   * read whose parts are read on several connections (every-plan/split-read.ts) compares them, to
   * know its parts are of one state. Read inside a transaction of this connection not yet committed,
   * its state is shared with no other read: it saw writes that may be rolled back.
   */
  readTogether<T>(read: () => T): { state: string; value: T };
  reset(): void;
  /**
   * Forgets what this process keeps of the tables: after a transaction on the connection rolled
   * back, what a read took from its uncommitted rows is no longer in the tables.
   */
  forgetKept(): void;
}
