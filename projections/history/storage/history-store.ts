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
  ledgerBlocks: { plan: string; block: BlockText }[];
  /** A plan's business blocks from `fromSeq` on, replaced by these (earlier blocks are kept). */
  business: { plan: string; fromSeq: number; blocks: BlockText[] }[];
  values: [id: number, json: string][];
}

/**
 * A block as it is written: its place and first point, and its base and changes already as
 * the stored JSON. A write is made as text where it is worked out (a rebuild's worker thread),
 * so the thread committing it holds strings rather than a graph of small arrays, and does not
 * serialise it on the one thread every chunk waits for.
 */
export interface BlockText {
  seq: number;
  first: number;
  json: string;
}

export const blockText = (block: LineBlock): BlockText => ({
  seq: block.seq,
  first: block.first,
  json: JSON.stringify({ base: block.base, changes: block.changes }),
});

export const noHistoryWrite = (): HistoryWrite => ({ cursors: [], ledgerBlocks: [], business: [], values: [] });

/** What a writer (the runner, or a rebuild's worker thread) reads back. */
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
  block: LineBlock | undefined;
  /** Some part's business lines wait to be worked out again: the business clock must be folded for this plan. */
  dirty: boolean;
  /** The position of the plan's last correction: it counts at every business day. */
  knowledgePos: number;
}

export interface HistoryStore extends HistoryReads {
  /** Applies a write; the read store calls it inside its own transaction. */
  write(write: HistoryWrite): void;
  /** Every plan with a history, in plan id order from after `after`, with its ledger block at a position. */
  ledgerBlocksAt(position: number, after?: string): IterableIterator<PlanBlockAt>;
  /** The same with the business block at a day. */
  businessBlocksAt(day: number, after?: string): IterableIterator<PlanBlockAt>;
  /** Every ledger block of one plan, in order. */
  ledgerBlocksOf(plan: string): LineBlock[];
  values(ids: number[]): [number, unknown][];
  maxValueId(): number;
  reset(): void;
}
