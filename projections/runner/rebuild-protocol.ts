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
  workerReads: WorkerReadSource;
  readStoreFile: string;
  partition: number;
  partitions: number;
  projections: Array<{ name: string; version: number; snapshotEvery: number | undefined }>;
  /** A batch is sent once what it carries (documents, snapshots, history) weighs this many bytes. */
  batchBytes: number;
  /** Marked plans worked out again per batch once the streams are folded (runner.ts, settlePlansPerWrite). */
  settlePerBatch: number;
  /** Value ids this rebuild hands out start here (each worker takes every `partitions`-th from first + partition). */
  firstValueId: number;
  /**
   * One counter shared by every worker: each takes the next stream to fold by adding one to
   * it, so a worker that meets short plans takes more of them and none waits for another.
   */
  claims: SharedArrayBuffer;
}

export type ToWorker =
  /** Fold every event at positions [from, to] of the streams this worker claims from `streams`, sending batches, then say done. */
  | { type: 'fold'; from: bigint; to: bigint; streams: string[] }
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
  /** Once the streams are folded: marked plans worked out again so far, and those still waiting. */
  settling?: { settled: number; remaining: number };
}

export type FromWorker = Batch | { type: 'progress'; read: number } | { type: 'done'; read: number };
