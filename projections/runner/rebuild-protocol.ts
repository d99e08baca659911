import type { WorkerReadSource } from '../../src/store/worker-reader.ts';
import type { HistoryWrite } from '../history/storage/history-store.ts';
import type { Snapshot } from './read-store.ts';

/**
 * What the coordinating thread of a parallel rebuild (parallel-rebuild.ts) and its worker
 * threads (rebuild-worker.ts) say to each other. A worker folds its streams one after another
 * and sends its work in batches; it folds the next batch while the last is committed, but
 * sends it only once the last is taken, so each thread holds at most one batch waiting.
 */

/** What each worker is told at start. */
export interface WorkerSetup {
  module: string;
  /** How the worker reads the ledger itself: the backend names a reader module. */
  workerReads: Omit<WorkerReadSource, 'openHere'>;
  readStoreFile: string;
  /** This worker's number (0, 1, …) of `workers`: the first also folds the projections keyed across streams. */
  worker: number;
  workers: number;
  projections: Array<{ name: string; version: number; snapshotEvery: number | undefined }>;
  /** A batch is sent once what it carries (documents, snapshots, history) weighs this many bytes. */
  batchBytes: number;
  /** Left-over marked plans worked out again per batch once the streams are folded (runner.ts, settlePlansPerWrite). */
  settlePerBatch: number;
  /** Value ids this rebuild hands out start here (each worker takes every `workers`-th from first + worker). */
  firstValueId: number;
  /**
   * Two counters shared by every worker: each takes the next stream to fold (the first), then
   * the next left-over plan to settle (the second), by adding one, so a worker that meets
   * short plans takes more of them and none waits for another.
   */
  claims: SharedArrayBuffer;
}

export type ToWorker =
  /**
   * Fold every event at positions [from, to] of the streams this worker claims from `streams`,
   * then settle the plans it claims from `leftOver` (marked in the store, with nothing to fold
   * here), sending batches; then say done.
   */
  | { type: 'fold'; from: bigint; to: bigint; streams: string[]; leftOver: string[] }
  /** The last batch is committed: the next may be sent. */
  | { type: 'taken' }
  | { type: 'stop' };

/** What the history of the plan lines gained (the projection keeping it, if any). */
export type HistoryGained = { projection: string; write: HistoryWrite } | undefined;

export interface Batch {
  type: 'batch';
  /** Events this worker has folded so far, this batch's included. */
  read: number;
  /** Streams whose every event up to the fold's end this batch completes. */
  streams: string[];
  /** [projection, key, document as JSON] for every document the batch changed. */
  documents: Array<[string, string, string]>;
  snapshots: Array<Snapshot & { projection: string }>;
  history: HistoryGained;
  /** Once the streams are folded: left-over plans this worker has worked out again so far. */
  settled?: number;
}

export type FromWorker = Batch | { type: 'progress'; read: number } | { type: 'done'; read: number };
