import type { EventStore } from '../../src/store/port.ts';
import type { ParallelBacklogOptions } from './parallel-backlog.ts';
import type { AnyProjection } from './projection.ts';
import type { ReadStore } from './read-store.ts';

/** A failed catch-up while following is tried again after this, then twice as long each time, up to the last. */
export const CATCH_UP_RETRY = { firstMs: 1_000, lastMs: 60_000 };

export interface RunnerOptions extends ParallelBacklogOptions {
  store: EventStore;
  readStore: ReadStore;
  projections: AnyProjection[];
  /**
   * Events applied between two writes of documents and checkpoint (default 250,000): in a
   * rebuild nearly every document changes within a chunk, so fewer, larger writes are faster.
   */
  chunkEvents?: number;
  /** Documents kept in memory between chunks; past this the cache is dropped after a write (default 10,000). */
  maxCachedDocuments?: number;
  /**
   * Marked plans whose history is worked out again per write (default 100): after a rebuild
   * nearly every plan is marked, and settling them all before one write held every plan's
   * business blocks at once (peak memory grew with the number of plans).
   */
  settlePlansPerWrite?: number;
  onError?: (error: unknown) => void;
  /**
   * Told in one line when the read store's views were dropped to be built again: they were of
   * another ledger, or of another release no longer running (default: stderr).
   */
  onViewsDropped?: (message: string) => void;
  /** While another release keeps the views, how often this runner looks whether it still runs (default 5 s). */
  lookAgainMs?: number;
  /**
   * How often a following runner looks whether another process moved the read store and folds no
   * backlog into it now (a rebuild beside it, stopped part way, leaves the views behind with no
   * ledger commit to wake the runner): then it folds from where the store stands (default 5 s).
   */
  lookForMovesMs?: number;
}
