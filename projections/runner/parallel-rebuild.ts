import { Worker } from 'node:worker_threads';
import type { WorkerReadSource } from '../../src/store/worker-reader.ts';
import type { HistoryWrite } from '../history/storage/history-store.ts';
import type { ReadStore, Snapshot } from './read-store.ts';

/** What each worker is told at start. */
export interface WorkerSetup {
  module: string;
  /** How the worker reads the ledger itself: the backend names a reader module. */
  workerReads: WorkerReadSource;
  readStoreFile: string;
  partition: number;
  partitions: number;
  projections: Array<{ name: string; version: number; snapshotEvery: number | undefined }>;
  /** Value ids this rebuild hands out start here (each worker takes every `partitions`-th from first + partition). */
  firstValueId: number;
}
export type ToWorker = { type: 'chunk'; from: bigint; to: bigint } | { type: 'stop' };
export interface ChunkDone {
  type: 'chunk-done';
  read: number;
  /** [projection, key, document as JSON] for every document the chunk changed. */
  documents: Array<[string, string, string]>;
  snapshots: Array<Snapshot & { projection: string }>;
  /** What the history of the plan lines gained in the chunk (the projection keeping it, if any). */
  history: { projection: string; write: HistoryWrite } | undefined;
}
type FromWorker = ChunkDone | { type: 'progress'; read: number };

export interface ParallelRebuildOptions {
  workerReads: WorkerReadSource;
  readStore: ReadStore;
  projections: WorkerSetup['projections'];
  workers: number;
  /** Positions [from, to] are folded; every projection must stand at from − 1. */
  from: bigint;
  to: bigint;
  chunkEvents: number;
  firstValueId: number;
  onProgress?: (done: number, checkpoint: bigint) => void;
  /** Asked between chunks: true ends the fold there (what is committed stands). */
  shouldStop?: () => boolean;
  /** Told of each committed chunk's changed documents, as the runner tells its readers. */
  onSaved?: (projection: string, keys: string[]) => void;
}

/** The workers' history writes as one: each worker's plans are its own, so they never overlap. */
const mergeHistoryWrites = (writes: HistoryWrite[]): HistoryWrite => ({
  cursors: writes.flatMap((w) => w.cursors),
  ledgerBlocks: writes.flatMap((w) => w.ledgerBlocks),
  business: writes.flatMap((w) => w.business),
  values: writes.flatMap((w) => w.values),
});

/**
 * A rebuild folded by several threads at once, for projections keyed by stream: each worker
 * folds the streams of its partition over the same chunk of positions, and this thread
 * commits the chunk's documents with each projection's checkpoint in one transaction per
 * projection, exactly as the one-thread runner does. A crash therefore leaves the same
 * resumable state, and the documents are the ones a one-thread fold gives (tested).
 */
export const rebuildInParallel = async (options: ParallelRebuildOptions): Promise<void> => {
  const entry = new URL('../../src/typescript-worker-entry.mjs', import.meta.url);
  const module = new URL('./rebuild-worker.ts', import.meta.url).href;
  const workers: Worker[] = [];
  const start = (partition: number) => {
    const setup: WorkerSetup = {
      module,
      workerReads: options.workerReads,
      readStoreFile: options.readStore.file,
      partition,
      partitions: options.workers,
      projections: options.projections,
      firstValueId: options.firstValueId,
    };
    return new Worker(entry, { workerData: setup });
  };
  try {
    for (let partition = 0; partition < options.workers; partition++) workers.push(start(partition));
  } catch (error) {
    // A worker that could not start: stop the ones that did.
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
  // An error while a chunk is folded fails that chunk (below); one while the workers stop, after
  // the last commit, loses nothing, and with no listener at all it would end the process.
  for (const worker of workers) worker.on('error', () => {});
  const progress = new Array<number>(workers.length).fill(0);
  /**
   * One worker's answer for one chunk, or its failure while folding it. Each chunk listens for
   * the worker's error or exit and stops listening once answered: racing every chunk against a
   * promise that lives as long as the workers (and never settles while they are well) kept each
   * race's result, every chunk's documents and history, in memory until the rebuild ended.
   */
  const chunk = (worker: Worker, index: number, from: bigint, to: bigint) =>
    new Promise<ChunkDone>((resolve, reject) => {
      const stop = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (message: FromWorker) => {
        if (message.type === 'progress') {
          progress[index] = message.read;
          options.onProgress?.(Math.min(...progress) + Number(from - options.from), from - 1n);
          return;
        }
        stop();
        resolve(message);
      };
      const onError = (error: unknown) => (stop(), reject(error));
      const onExit = (code: number) => (stop(), reject(new Error(`rebuild worker exited (code ${code}) before the rebuild ended`)));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ type: 'chunk', from, to } satisfies ToWorker);
    });
  try {
    const chunkEvents = BigInt(options.chunkEvents);
    for (let from = options.from; from <= options.to && !options.shouldStop?.(); from += chunkEvents) {
      const last = from + chunkEvents - 1n;
      const to = last < options.to ? last : options.to;
      progress.fill(0);
      const results = await Promise.all(workers.map((worker, i) => chunk(worker, i, from, to)));
      for (const projection of options.projections) {
        const documents = results.flatMap((r) =>
          r.documents.filter(([name]) => name === projection.name).map(([, key, json]) => [key, json] as [string, string]),
        );
        const snapshots = results.flatMap((r) => r.snapshots.filter((s) => s.projection === projection.name));
        const histories = results.flatMap((r) => (r.history?.projection === projection.name ? [r.history.write] : []));
        const history = histories.length === 0 ? undefined : mergeHistoryWrites(histories);
        options.readStore.saveText(projection.name, { version: projection.version, position: to }, documents, snapshots, history);
        if (documents.length > 0)
          options.onSaved?.(
            projection.name,
            documents.map(([key]) => key),
          );
      }
      options.onProgress?.(Number(to - options.from + 1n), to);
    }
  } finally {
    for (const worker of workers) worker.postMessage({ type: 'stop' } satisfies ToWorker);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
};
