import { Worker } from 'node:worker_threads';
import type { WorkerReadSource } from '../../src/store/worker-reader.ts';
import type { HistoryWrite } from '../history/storage/history-store.ts';
import type { ReadStore } from './read-store.ts';
import { answerBytes, nextChunkEvents } from './chunk-size.ts';
import type { ChunkDone, ChunkFolded, FromWorker, HistoryGained, SettleDone, ToWorker, WorkerSetup } from './rebuild-protocol.ts';

export interface ParallelRebuildOptions {
  workerReads: WorkerReadSource;
  readStore: ReadStore;
  projections: WorkerSetup['projections'];
  workers: number;
  /** Documents per projection each worker keeps as objects within a chunk; the rest wait as JSON (chunk-documents.ts). */
  documentsAsObjects: number;
  /** Marked plans each worker works out again per commit, once the backlog is folded (runner.ts, settlePlansPerWrite). */
  settlePerWrite: number;
  /** Positions [from, to] are folded; every projection must stand at from − 1. */
  from: bigint;
  to: bigint;
  /** Events per chunk at most: fewer while a worker's answer to a chunk weighs more than `chunkBytes` (chunk-size.ts). */
  chunkEvents: number;
  chunkBytes: number;
  /** Each worker's heap (old generation) at most, in MiB: without a limit, V8 lets garbage grow far past what a worker holds. */
  workerHeapMb: number;
  firstValueId: number;
  /** Told after each batch of marked plans settled once the backlog is folded: how many are settled, of how many. */
  onSettling?: (settled: number, total: number) => void;
  onProgress?: (done: number, checkpoint: bigint) => void;
  /** Asked between chunks: true ends the fold there (what is committed stands). */
  shouldStop?: () => boolean;
  /** Told of each committed chunk's changed documents, as the runner tells its readers. */
  onSaved?: (projection: string, keys: string[]) => void;
}

/** The workers' history writes for one projection as one: each worker's plans are its own, so they never overlap. */
const mergeHistory = (projection: string, answers: { history: HistoryGained }[]): HistoryWrite | undefined => {
  const writes = answers.flatMap((a) => (a.history?.projection === projection ? [a.history.write] : []));
  if (writes.length === 0) return undefined;
  return {
    cursors: writes.flatMap((w) => w.cursors),
    ledgerBlocks: writes.flatMap((w) => w.ledgerBlocks),
    business: writes.flatMap((w) => w.business),
    values: writes.flatMap((w) => w.values),
  };
};

/**
 * Once the backlog is folded, each worker works out again the business lines of its own
 * marked plans (history-writer.ts), a batch at a time, from each plan's facts; every round of
 * batches is committed at the final checkpoint before the next is asked for. Until its batch
 * is written a plan stays marked in the store, so readers fold it from the ledger, and a plan
 * left marked (stopped, or a worker failed) is settled by the runner's next write. Settling
 * here rather than on the coordinating thread splits the work between the workers, and keeps
 * the plans' facts out of the thread that commits.
 */
const settleMarked = async (
  workers: Worker[],
  options: ParallelRebuildOptions,
  ask: <Answer extends SettleDone>(worker: Worker, request: ToWorker) => Promise<Answer>,
  upTo: bigint,
) => {
  let asking = workers;
  let settled = 0;
  // Each worker's remaining count after a batch: the plans still to settle, for the progress shown.
  const remaining = new Map<Worker, number>();
  while (asking.length > 0 && !options.shouldStop?.()) {
    const answers = await Promise.all(
      asking.map((worker) => ask<SettleDone>(worker, { type: 'settle', upTo, keys: options.settlePerWrite })),
    );
    for (const projection of options.projections) {
      const history = mergeHistory(projection.name, answers);
      if (history) options.readStore.saveText(projection.name, { version: projection.version, position: upTo }, [], [], history);
    }
    answers.forEach((answer, i) => remaining.set(asking[i]!, answer.remaining));
    settled += answers.reduce((sum, answer) => sum + answer.settled, 0);
    const left = [...remaining.values()].reduce((sum, n) => sum + n, 0);
    if (settled + left > 0) options.onSettling?.(settled, settled + left);
    asking = asking.filter((_, i) => answers[i]!.remaining > 0);
  }
};

/**
 * A rebuild folded by several threads at once, for projections keyed by stream: each worker
 * folds the streams of its partition over the same chunk of positions, and this thread
 * commits the chunk's documents with every projection's checkpoint in one transaction, as the
 * one-thread runner commits its own. A crash therefore leaves the same resumable state, and
 * the documents are the ones a one-thread fold gives (tested).
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
      documentsAsObjects: options.documentsAsObjects,
    };
    return new Worker(entry, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb } });
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
   * One worker's answer to one request, or its failure meanwhile. Each request listens for the
   * worker's error or exit and stops listening once answered: racing every chunk against a
   * promise that lives as long as the workers (and never settles while they are well) kept each
   * race's result, every chunk's documents and history, in memory until the rebuild ended.
   */
  const ask = <Answer extends ChunkDone | ChunkFolded | SettleDone>(
    worker: Worker,
    request: ToWorker,
    onProgress?: (read: number) => void,
  ) =>
    new Promise<Answer>((resolve, reject) => {
      const stop = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (message: FromWorker) => {
        if (message.type === 'progress') return onProgress?.(message.read);
        stop();
        resolve(message as Answer);
      };
      const onError = (error: unknown) => (stop(), reject(error));
      const onExit = (code: number) => (stop(), reject(new Error(`rebuild worker exited (code ${code}) before the rebuild ended`)));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(request);
    });
  const chunk = (worker: Worker, index: number, from: bigint, to: bigint) =>
    ask<ChunkFolded>(worker, { type: 'chunk', from, to }, (read) => {
      progress[index] = read;
      options.onProgress?.(Math.min(...progress) + Number(from - options.from), from - 1n);
    });
  /**
   * The workers' answers to a chunk, asked for one at a time and each written as it arrives, in
   * one transaction: this thread never holds two answers at once (at ten million events each
   * carries hundreds of megabytes of documents). Only the last moves the checkpoints, so a
   * reader of this connection never sees a checkpoint ahead of a worker's documents. Returns the
   * heaviest answer's weight.
   */
  const commitChunk = async (committed: bigint, to: bigint): Promise<number> => {
    let heaviest = 0;
    const saved = new Map<string, string[]>(options.projections.map(({ name }) => [name, []]));
    await options.readStore.together(async () => {
      for (const [i, worker] of workers.entries()) {
        const answer = await ask<ChunkDone>(worker, { type: 'send' });
        heaviest = Math.max(heaviest, answerBytes(answer));
        const position = i === workers.length - 1 ? to : committed;
        for (const { name, version } of options.projections) {
          const documents = answer.documents
            .filter(([projection]) => projection === name)
            .map(([, key, json]) => [key, json] as [string, string]);
          const snapshots = answer.snapshots.filter((s) => s.projection === name);
          const history = answer.history?.projection === name ? answer.history.write : undefined;
          options.readStore.saveText(name, { version, position }, documents, snapshots, history);
          saved.get(name)!.push(...documents.map(([key]) => key));
        }
      }
    });
    for (const [projection, keys] of saved) if (keys.length > 0) options.onSaved?.(projection, keys);
    return heaviest;
  };
  try {
    let chunkEvents = options.chunkEvents;
    let committed = options.from - 1n;
    for (let from = options.from; from <= options.to && !options.shouldStop?.(); from = committed + 1n) {
      const last = from + BigInt(chunkEvents) - 1n;
      const to = last < options.to ? last : options.to;
      progress.fill(0);
      await Promise.all(workers.map((worker, i) => chunk(worker, i, from, to)));
      const heaviest = await commitChunk(committed, to);
      chunkEvents = nextChunkEvents(chunkEvents, heaviest, { maxEvents: options.chunkEvents, maxBytes: options.chunkBytes });
      committed = to;
      options.onProgress?.(Number(to - options.from + 1n), to);
    }
    if (committed === options.to) await settleMarked(workers, options, ask, options.to);
  } finally {
    for (const worker of workers) worker.postMessage({ type: 'stop' } satisfies ToWorker);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
};
