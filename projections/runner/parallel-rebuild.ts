import { Worker } from 'node:worker_threads';
import { planStream } from '../../events/streams.ts';
import { forWorkers, type WorkerReadSource } from '../../src/store/worker-reader.ts';
import type { ReadStore } from './read-store.ts';
import type { Batch, FromWorker, ToWorker, WorkerSetup } from './rebuild-protocol.ts';
import { stopWorker } from './worker-stop.ts';

export interface ParallelRebuildOptions {
  workerReads: WorkerReadSource;
  readStore: ReadStore;
  projections: WorkerSetup['projections'];
  workers: number;
  /** Marked plans each worker works out again per batch, for those no stream it folds touches (runner.ts, settlePlansPerWrite). */
  settlePerWrite: number;
  /** Positions [from, to] are folded; every projection must stand at from − 1. */
  from: bigint;
  to: bigint;
  /** A worker sends a batch once what it carries (documents, snapshots, history) weighs this many bytes. */
  batchBytes: number;
  /** Each worker's heap (old generation) at most, in MiB: without a limit, V8 lets garbage grow far past what a worker holds. */
  workerHeapMb: number;
  firstValueId: number;
  /** Told after each batch of left-over marked plans settled: how many are settled, of how many. */
  onSettling?: (settled: number, total: number) => void;
  onProgress?: (done: number, checkpoint: bigint) => void;
  /** Asked as each batch arrives: true ends the fold there (what is committed stands, and a later rebuild goes on from it). */
  shouldStop?: () => boolean;
  /** Told of each committed batch's changed documents, as the runner tells its readers. */
  onSaved?: (projection: string, keys: string[]) => void;
}

/**
 * A rebuild folded by several threads at once. Each worker claims streams one after another
 * and folds each whole, and sends its work in batches (rebuild-worker.ts); this thread
 * commits each batch in one transaction with a note of the streams it completes. The
 * checkpoints stay where they were until every stream is folded, then move to the end in one
 * transaction: a reader never sees a checkpoint ahead of a document. A crash or a stop leaves
 * the batches committed and noted, and the next rebuild folds each noted stream from where its
 * note says. The documents are the ones a one-thread fold gives (tested).
 *
 * Folding position by position, every worker read every event and rewrote every document a
 * chunk of positions touched; at ten million events nearly every plan's document (up to
 * 440 KB) was read, parsed, serialised and written at each of hundreds of chunks.
 */
export const rebuildInParallel = async (options: ParallelRebuildOptions): Promise<void> => {
  const { readStore, from, to } = options;
  // Every worker claims streams from one list, read once here, and then the plans marked in the
  // store that none of those folds will settle: a plan is settled by the worker folding it, so
  // no two workers ever write one plan's history.
  const reader = options.workerReads.openHere(options.workerReads.options);
  const { streams, leftOver } = await (async () => {
    const leftOver: string[] = [];
    for (const plan of readStore.history.dirtyPlans())
      if ((await reader.firstRevisionIn(planStream(plan), from, to)) === undefined) leftOver.push(plan);
    return { streams: await reader.streams(), leftOver };
  })().finally(() => reader.close());
  const claims = new SharedArrayBuffer(8);
  const entry = new URL('../../src/typescript-worker-entry.mjs', import.meta.url);
  const module = new URL('./rebuild-worker.ts', import.meta.url).href;
  const workers: Worker[] = [];
  const start = (worker: number) => {
    const setup: WorkerSetup = {
      module,
      workerReads: forWorkers(options.workerReads),
      readStoreFile: options.readStore.file,
      worker,
      workers: options.workers,
      projections: options.projections,
      batchBytes: options.batchBytes,
      settlePerBatch: options.settlePerWrite,
      firstValueId: options.firstValueId,
      claims,
    };
    return new Worker(entry, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb } });
  };
  try {
    for (let worker = 0; worker < options.workers; worker++) workers.push(start(worker));
  } catch (error) {
    // A worker that could not start: stop the ones that did.
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
  // An error once the rebuild is over (while the workers stop) loses nothing; with no listener it would end the process.
  for (const worker of workers) worker.on('error', () => {});
  const read = new Array<number>(workers.length).fill(0);
  const settled = new Array<number>(workers.length).fill(0);
  const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
  let stopped = false;
  /** Set once a worker or a commit failed: batches still waiting are dropped, as the runner folds the rest on one thread. */
  let failed = false;

  const commit = async (batch: Batch) => {
    const saved: Array<[string, string[]]> = [];
    await readStore.together(async () => {
      for (const { name, version } of options.projections) {
        const documents = batch.documents
          .filter(([projection]) => projection === name)
          .map(([, key, json]) => [key, json] as [string, string]);
        const snapshots = batch.snapshots.filter((s) => s.projection === name);
        const history = batch.history?.projection === name ? batch.history.write : undefined;
        if (documents.length === 0 && snapshots.length === 0 && !history) continue;
        readStore.saveText(name, { version, position: from - 1n }, documents, snapshots, history);
        saved.push([name, documents.map(([key]) => key)]);
      }
      readStore.noteRebuilt(batch.streams, to);
    });
    for (const [projection, keys] of saved) if (keys.length > 0) options.onSaved?.(projection, keys);
  };

  /** Batches are committed one at a time, in the order they arrive. */
  let committing: Promise<void> = Promise.resolve();
  const run = (worker: Worker, index: number) =>
    new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'progress') {
          read[index] = message.read;
          options.onProgress?.(sum(read), from - 1n);
        } else if (message.type === 'done') {
          read[index] = message.read;
          resolve();
        } else
          committing = committing.then(async () => {
            if (failed) return;
            if (stopped || options.shouldStop?.()) return void ((stopped = true), resolve());
            try {
              await commit(message);
            } catch (error) {
              failed = true;
              return reject(error);
            }
            read[index] = message.read;
            options.onProgress?.(sum(read), from - 1n);
            if (message.settled !== undefined) {
              settled[index] = message.settled;
              options.onSettling?.(sum(settled), leftOver.length);
            }
            worker.postMessage({ type: 'taken' } satisfies ToWorker);
          });
      });
      worker.once('error', (error) => ((failed = true), reject(error)));
      worker.once('exit', (code) => reject(new Error(`rebuild worker exited (code ${code}) before the rebuild ended`)));
      worker.postMessage({ type: 'fold', from, to, streams, leftOver } satisfies ToWorker);
    });
  try {
    await Promise.all(workers.map(run)).catch(async (error: unknown) => {
      // Nothing more is written once this returns: the runner goes on from what is committed.
      failed = true;
      await committing;
      throw error;
    });
    await committing;
    if (stopped) return;
    // Every stream is folded: the checkpoints move to the end together, and the notes go.
    await readStore.together(async () => {
      for (const { name, version } of options.projections) readStore.saveText(name, { version, position: to }, [], []);
      readStore.forgetRebuilt();
    });
    options.onProgress?.(Number(to - from + 1n), to);
  } finally {
    for (const worker of workers) worker.postMessage({ type: 'stop' } satisfies ToWorker);
    await Promise.all(workers.map((worker) => stopWorker(worker)));
  }
};
