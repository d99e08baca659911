import { EventEmitter } from 'node:events';
import type { EventStore } from '../../src/store/port.ts';
import type { WorkerReadSource } from '../../src/store/worker-reader.ts';
import { recordedPlanFacts } from '../ledger-fold.ts';
import { createInterner } from '../history/storage/interner.ts';
import { toLedgerFact } from '../ledger-fact.ts';
import { availableParallelism } from 'node:os';
import { applyFact, type FoldSlot } from './apply-fact.ts';
import { rebuildInParallel } from './parallel-rebuild.ts';
import type { AnyProjection } from './projection.ts';
import { guardReadStoreLedger } from './ledger-guard.ts';
import type { ReadStore, Snapshot } from './read-store.ts';

export interface Progress {
  done: number;
  total: number;
  /** Set once the events are folded while plans' business lines are worked out again (a rebuild's last phase). */
  settling?: { plans: number; of: number };
  /** The last position read. */
  position: bigint;
  /** The last position committed with its documents (what a restart would resume from). */
  checkpoint: bigint;
}

/** Progress is reported this often, between the (much rarer) writes. */
const PROGRESS_EVERY = 10_000;

export interface RunnerOptions {
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
  /**
   * How worker threads read the ledger, when the backend offers it (SQLite: the file): then a
   * long catch-up with every projection at the same checkpoint (a rebuild, a version bump, a
   * resumed rebuild) is folded by worker threads, one partition of the streams each. Every
   * projection here is keyed by its stream.
   */
  workerReads?: WorkerReadSource | undefined;
  /**
   * Documents per projection each of those workers keeps as objects while folding a chunk
   * (default 256): a plan's events come in runs, so a few hundred do; the rest wait as JSON.
   */
  rebuildDocumentsAsObjects?: number;
  /**
   * The most a worker's answer to one chunk of such a catch-up may weigh, in bytes of JSON and
   * history (default 96 MiB): past it the next chunks are shorter (chunk-size.ts).
   */
  rebuildChunkBytes?: number;
  /** Each of those workers' heap at most, in MiB (default 512; a worker that needs more fails, and the catch-up goes on on one thread). */
  rebuildWorkerHeapMb?: number;
  /** Worker threads for such a catch-up (default: the cores, at most 4); 1 folds on this thread. */
  rebuildWorkers?: number;
  /** Catch-ups shorter than this stay on this thread: starting workers costs ~0.5 s (default 100,000 events). */
  parallelFromEvents?: number;
  onError?: (error: unknown) => void;
  /** Told in one line when the read store held views of another ledger and they were dropped (default: stderr). */
  onViewsDropped?: (message: string) => void;
}

interface Slot extends FoldSlot {
  checkpoint: bigint;
  snapshots: Snapshot[];
}

/**
 * Runs the projections: catch-up from each one's checkpoint, then live on the store's
 * commit notifications. One pass over the ledger feeds every projection; each skips
 * what it has already applied, so replaying an event changes nothing.
 */
export const createProjectionRunner = (options: RunnerOptions) => {
  const { store, readStore, projections } = options;
  const chunkEvents = options.chunkEvents ?? 250_000;
  const maxCached = options.maxCachedDocuments ?? 10_000;
  const settlePerWrite = Math.max(1, options.settlePlansPerWrite ?? 100);
  const caughtUp = new EventEmitter();
  caughtUp.setMaxListeners(0);
  let slots: Slot[] = [];
  let running: Promise<void> | undefined;
  let again = false;
  let unsubscribe: (() => void) | undefined;
  let stopped = false;

  /** A projection's history writer, handing out value ids after every id already stored. */
  const historyWriter = (projection: AnyProjection) =>
    projection.history?.(readStore.history, createInterner(readStore.history.maxValueId() + 1));

  const open = (projection: AnyProjection, forceRebuild: boolean): Slot => {
    const saved = readStore.checkpoint(projection.name);
    if (forceRebuild || !saved || saved.version !== projection.version)
      readStore.reset(projection.name, projection.version, projection.history !== undefined);
    return {
      projection,
      checkpoint: readStore.checkpoint(projection.name)!.position,
      cache: new Map(),
      dirty: new Set(),
      snapshots: [],
      history: historyWriter(projection),
    };
  };

  /**
   * Commits what the slot folded up to `position` with its checkpoint, and works out again the
   * business lines of every plan the history marked (history-writer.ts), from the plan's facts
   * up to that position. The marked plans are settled a batch at a time, each batch written
   * before the next is worked out, so memory holds one batch's plans whatever their number.
   * The first batch is committed with the documents (a live write that marks a plan commits
   * its settled lines at once, as one write); later batches are written at the same
   * checkpoint. Until its batch is written a plan stays marked in the store, so readers fold it
   * from the ledger, and a crash between batches leaves it marked for the resumed runner's
   * first flush to settle.
   */
  const flush = async (slot: Slot, position: bigint) => {
    const history = slot.history;
    if (position < slot.checkpoint) position = slot.checkpoint;
    const marked = history ? [...new Set([...history.dirty(), ...readStore.history.dirtyPlans()])] : [];
    if (position === slot.checkpoint && marked.length === 0) return;
    let first = true;
    for (let at = 0; first || at < marked.length; at += settlePerWrite) {
      for (const plan of marked.slice(at, at + settlePerWrite)) history!.settle(plan, await recordedPlanFacts(store, plan, position));
      const keys = first ? [...slot.dirty] : [];
      readStore.save(
        slot.projection.name,
        { version: slot.projection.version, position },
        keys.map((k) => [k, slot.cache.get(k)]),
        first ? slot.snapshots : [],
        history?.drain(),
      );
      if (first) {
        slot.snapshots = [];
        if (keys.length > 0) caughtUp.emit('saved', slot.projection.name, keys);
        slot.checkpoint = position;
        slot.dirty.clear();
        first = false;
      }
    }
    if (slot.cache.size > maxCached) slot.cache.clear();
  };

  const position = (): bigint =>
    slots.length === 0 ? -1n : slots.reduce((lowest, s) => (s.checkpoint < lowest ? s.checkpoint : lowest), slots[0]!.checkpoint);

  const workerCount = options.rebuildWorkers ?? Math.min(4, availableParallelism());
  /**
   * Folds the backlog with worker threads when it is long and every projection stands at the
   * same checkpoint; returns how many events that covered, so the catch-up after it (for
   * anything appended meanwhile) can report the whole count.
   */
  const foldBacklogInParallel = async (onProgress?: (p: Progress) => void): Promise<number> => {
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
      chunkEvents,
      settlePerWrite,
      chunkBytes: options.rebuildChunkBytes ?? 96 * 2 ** 20,
      workerHeapMb: options.rebuildWorkerHeapMb ?? 512,
      documentsAsObjects: Math.max(1, options.rebuildDocumentsAsObjects ?? 256),
      firstValueId: readStore.history.maxValueId() + 1,
      onSaved: (name, keys) => caughtUp.emit('saved', name, keys),
      shouldStop: () => stopped,
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
    caughtUp.emit('position', position());
    return Number(position() - from + 1n);
  };

  /**
   * The backlog in parallel where it can be, then the one-thread catch-up for the rest. The
   * parallel fold holds the same turn as a catch-up pass, so nothing else folds meanwhile; if
   * it fails, what it committed stands and the one-thread catch-up resumes from there.
   */
  const catchUpFromStart = async (onProgress?: (p: Progress) => void): Promise<void> => {
    if (running) await running;
    let folded = 0;
    running = (async () => {
      try {
        folded = await foldBacklogInParallel(onProgress);
      } catch (error) {
        for (const slot of slots) {
          slot.cache.clear();
          slot.checkpoint = readStore.checkpoint(slot.projection.name)?.position ?? -1n;
        }
        (options.onError ?? ((e) => console.error('parallel rebuild failed; continuing on one thread', e)))(error);
      } finally {
        running = undefined;
      }
    })();
    await running;
    if (stopped) return;
    await catchUp(onProgress && ((p) => onProgress({ ...p, done: p.done + folded, total: p.total + folded })));
  };

  const pass = async (onProgress?: (p: Progress) => void) => {
    const from = position() + 1n;
    const head = await store.headPosition();
    const total = head === undefined || head < from ? 0 : Number(head - from + 1n);
    let done = 0;
    let last = from - 1n;
    let sinceFlush = 0;
    for await (const event of store.readAll({ fromPosition: from })) {
      const fact = toLedgerFact(event);
      last = event.position;
      // The views now hold this ledger's first event: say which ledger they are built from.
      if (last === 0n && readStore.builtFrom() === undefined) readStore.recordBuiltFrom(event.hash);
      if (fact) {
        for (const slot of slots) {
          if (fact.position <= slot.checkpoint) continue;
          const snapshot = applyFact(slot, fact, readStore.loadDocument);
          if (snapshot) slot.snapshots.push(snapshot);
        }
      }
      done++;
      if (++sinceFlush >= chunkEvents) {
        for (const slot of slots) await flush(slot, last);
        sinceFlush = 0;
        onProgress?.({ done, total, position: last, checkpoint: position() });
      } else if (done % PROGRESS_EVERY === 0) onProgress?.({ done, total, position: last, checkpoint: position() });
      if (stopped) break;
    }
    for (const slot of slots) await flush(slot, last);
    onProgress?.({ done, total: Math.max(total, done), position: last, checkpoint: position() });
  };

  /** One catch-up at a time; a commit during a pass asks for another pass after it. */
  const catchUp = (onProgress?: (p: Progress) => void): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await pass(onProgress);
          caughtUp.emit('position', position());
        } while (again && !stopped);
      } catch (error) {
        // A failed pass loses nothing committed: forget what was in memory and resume from the checkpoints.
        for (const slot of slots) {
          slot.cache.clear();
          slot.dirty.clear();
          slot.snapshots = [];
          slot.checkpoint = readStore.checkpoint(slot.projection.name)?.position ?? -1n;
          slot.history = historyWriter(slot.projection);
        }
        (options.onError ?? ((e) => console.error('projection catch-up failed', e)))(error);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  /** Drops views of another ledger (./ledger-guard.ts) before the projections are opened. */
  const guard = async () => {
    const { rebuiltBecause } = await guardReadStoreLedger(readStore, store);
    if (rebuiltBecause) (options.onViewsDropped ?? ((message) => console.warn(message)))(rebuiltBecause);
  };

  return {
    /** Opens every projection (rebuilding any whose version changed), catches up, then follows the ledger. */
    async start(): Promise<void> {
      await guard();
      slots = projections.map((p) => open(p, false));
      await catchUpFromStart();
      // Stopped while catching up: follow nothing.
      if (!stopped) unsubscribe = store.subscribe(() => void catchUp());
    },
    /** From position 0 for the named projections (all when none are named). */
    async rebuild(names: string[] = [], onProgress?: (p: Progress) => void): Promise<void> {
      await guard();
      slots = projections.map((p) => open(p, names.length === 0 || names.includes(p.name)));
      await catchUpFromStart(onProgress);
    },
    /** Catches up without following: for a process that only resumes and exits. */
    async resume(onProgress?: (p: Progress) => void): Promise<void> {
      await guard();
      slots = projections.map((p) => open(p, false));
      await catchUpFromStart(onProgress);
    },
    position,
    /** Calls the listener with a projection's name and the keys of the documents just written. */
    onSaved(listener: (projection: string, keys: string[]) => void): () => void {
      caughtUp.on('saved', listener);
      return () => void caughtUp.off('saved', listener);
    },
    /** Resolves true once every projection has applied `target`, false if that takes longer than timeoutMs. */
    waitFor(target: bigint, timeoutMs: number): Promise<boolean> {
      if (position() >= target) return Promise.resolve(true);
      void catchUp();
      return new Promise((resolve) => {
        const onPosition = () => {
          if (position() < target) return;
          cleanup();
          resolve(true);
        };
        const timer = setTimeout(() => (cleanup(), resolve(position() >= target)), timeoutMs);
        const cleanup = () => (clearTimeout(timer), caughtUp.off('position', onPosition));
        caughtUp.on('position', onPosition);
      });
    },
    async stop(): Promise<void> {
      stopped = true;
      unsubscribe?.();
      await running;
    },
  };
};
export type ProjectionRunner = ReturnType<typeof createProjectionRunner>;
