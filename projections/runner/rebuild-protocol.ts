import type { WorkerReadSource } from '../../src/store/worker-reader.ts';
import type { HistoryWrite } from '../history/storage/history-store.ts';
import type { Snapshot } from './read-store.ts';

/**
 * What the coordinating thread of a parallel rebuild (parallel-rebuild.ts) and its worker
 * threads (rebuild-worker.ts) say to each other. Every request is answered before the next is
 * sent, so a worker never runs ahead of what has been committed.
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
  /** Documents per projection a worker keeps as objects within a chunk (chunk-documents.ts). */
  documentsAsObjects: number;
  /** Value ids this rebuild hands out start here (each worker takes every `partitions`-th from first + partition). */
  firstValueId: number;
}

export type ToWorker =
  /** Fold the events at positions [from, to], keep the answer, and say when done. */
  | { type: 'chunk'; from: bigint; to: bigint }
  /** Send the answer to the chunk just folded (the coordinating thread asks each worker in turn). */
  | { type: 'send' }
  /** Work out again the history of up to `keys` of this worker's marked documents, from their facts up to `upTo`. */
  | { type: 'settle'; upTo: bigint; keys: number }
  | { type: 'stop' };

/** What the history of the plan lines gained (the projection keeping it, if any). */
export type HistoryGained = { projection: string; write: HistoryWrite } | undefined;

export interface ChunkDone {
  type: 'chunk-done';
  read: number;
  /** [projection, key, document as JSON] for every document the chunk changed. */
  documents: Array<[string, string, string]>;
  snapshots: Array<Snapshot & { projection: string }>;
  history: HistoryGained;
}

export interface SettleDone {
  type: 'settled';
  history: HistoryGained;
  /** Marked documents of this worker settled in this batch, and those still waiting after it. */
  settled: number;
  remaining: number;
}

/** A chunk folded: its answer waits in the worker until asked for. */
export interface ChunkFolded {
  type: 'folded';
  read: number;
}

export type FromWorker = ChunkDone | ChunkFolded | SettleDone | { type: 'progress'; read: number };
