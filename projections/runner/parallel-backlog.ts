import { availableParallelism } from 'node:os';
import type { EventStore } from '../../src/store/port.ts';
import type { WorkerReadSource } from '../../src/store/worker-reader.ts';
import type { LineHistoryWriter } from '../history/storage/history-writer-port.ts';
import type { FoldSlot } from './apply-fact.ts';
import { rebuildInParallel } from './parallel-rebuild.ts';
import type { AnyProjection } from './projection.ts';
import type { ReadStore } from './read-store.ts';
import type { Progress } from './progress.ts';

/** What a rebuild worker gathers before sending it to be committed, in bytes (rebuildBatchBytes below). */
const REBUILD_BATCH_BYTES = 4 * 2 ** 20;

/** How a long catch-up is folded by worker threads (the runner's options for it). */
export interface ParallelBacklogOptions {
  /**
   * How worker threads read the ledger, when the backend offers it (SQLite: the file): then a
   * long catch-up with every projection at the same checkpoint (a rebuild, a version bump, a
   * resumed rebuild) is folded by worker threads, a stream at a time each (parallel-rebuild.ts).
   */
  workerReads?: WorkerReadSource | undefined;
  /**
   * What each of those workers gathers before sending it to be committed, in bytes of JSON,
   * snapshots and history (default 4 MiB; a batch is at least one stream's work): a worker
   * holds one batch while the last is committed, and this thread one per worker at most. Each
   * batch is committed in one transaction on this thread, which a serving instance's requests
   * share: at 32 MiB `/health` waited up to a second at a start that folded a million events,
   * and no rebuild was faster for it (docs/projections.md, What the rebuild spends).
   */
  rebuildBatchBytes?: number;
  /** Each of those workers' heap at most, in MiB (default 512; a worker that needs more fails, and the catch-up goes on on one thread). */
  rebuildWorkerHeapMb?: number;
  /** Worker threads for such a catch-up (default: the cores, at most 4); 1 folds on this thread. */
  rebuildWorkers?: number;
  /** Catch-ups shorter than this stay on this thread: starting workers costs ~0.5 s (default 100,000 events). */
  parallelFromEvents?: number;
}

interface BacklogSlot extends FoldSlot {
  checkpoint: bigint;
}

export interface ParallelBacklog {
  options: ParallelBacklogOptions;
  store: EventStore;
  readStore: ReadStore;
  slots: BacklogSlot[];
  settlePerWrite: number;
  stopped: () => boolean;
  onSaved: (projection: string, keys: string[]) => void;
  /** Told once the checkpoints stand where the workers' commits got to. */
  onPosition: () => void;
  /** A projection's history writer, handing out value ids after every id already stored. */
  historyWriter: (projection: AnyProjection) => LineHistoryWriter | undefined;
  onProgress?: ((p: Progress) => void) | undefined;
}

/** The lowest checkpoint among the slots: where the whole catch-up stands. */
export const lowestCheckpoint = (slots: readonly { checkpoint: bigint }[]): bigint =>
  slots.length === 0 ? -1n : slots.reduce((low, s) => (s.checkpoint < low ? s.checkpoint : low), slots[0]!.checkpoint);

/**
 * Folds the backlog with worker threads when it is long and every projection stands at the
 * same checkpoint (parallel-rebuild.ts); returns how many events that covered, so the
 * catch-up after it (for anything appended meanwhile) can report the whole count.
 */
export const foldBacklogInParallel = async ({
  options,
  store,
  readStore,
  slots,
  settlePerWrite,
  stopped,
  onSaved,
  onPosition,
  historyWriter,
  onProgress,
}: ParallelBacklog): Promise<number> => {
  const workerCount = options.rebuildWorkers ?? Math.min(4, availableParallelism());
  const position = () => lowestCheckpoint(slots);
  const workerReads = options.workerReads;
  if (!workerReads || workerCount < 2 || slots.length === 0) return 0;
  const from = slots[0]!.checkpoint + 1n;
  if (slots.some((slot) => slot.checkpoint + 1n !== from)) return 0;
  const head = await store.headPosition();
  if (head === undefined || head - from + 1n < BigInt(options.parallelFromEvents ?? 100_000)) return 0;
  const to = head;
  const total = Number(to - from + 1n);
  await rebuildInParallel({
    workerReads,
    readStore,
    projections: slots.map(({ projection }) => ({
      name: projection.name,
      version: projection.version,
      snapshotEvery: projection.snapshotEvery,
    })),
    workers: workerCount,
    from,
    to,
    settlePerWrite,
    batchBytes: options.rebuildBatchBytes ?? REBUILD_BATCH_BYTES,
    workerHeapMb: options.rebuildWorkerHeapMb ?? 512,
    firstValueId: readStore.history.maxValueId() + 1,
    onSaved,
    shouldStop: stopped,
    onProgress: (done, checkpoint) => {
      if (checkpoint >= from) for (const slot of slots) slot.checkpoint = checkpoint;
      onProgress?.({ done, total, position: from + BigInt(done) - 1n, checkpoint: position() });
    },
    onSettling: (plans, of) => onProgress?.({ done: total, total, position: to, checkpoint: position(), settling: { plans, of } }),
  });
  // Where the commits got to (all of it, unless stopped between chunks).
  for (const slot of slots) {
    slot.checkpoint = readStore.checkpoint(slot.projection.name)?.position ?? -1n;
    slot.cache.clear();
    // The workers handed out value ids of their own: carry on after them.
    slot.history = historyWriter(slot.projection);
  }
  onPosition();
  return Number(position() - from + 1n);
};
