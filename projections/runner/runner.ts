import { EventEmitter } from 'node:events';
import { CATCH_UP_RETRY, type RunnerOptions } from './runner-options.ts';
import { foldPass } from './fold-pass.ts';
import { foldBacklogInParallel, lowestCheckpoint } from './parallel-backlog.ts';
import type { Progress } from './progress.ts';
import type { AnyProjection } from './projection.ts';
import { guardReadStoreLedger } from './ledger-guard.ts';
import { ReadStoreMoved } from './read-store.ts';
import { retryWithBackoff } from './retry-with-backoff.ts';
import { flushSlot } from './flush-slot.ts';
import { createProjectionSlots } from './projection-slots.ts';
import { createReleaseGuard } from './release-guard.ts';
import { whileFolding } from './sqlite/views-held.ts';
import { watchForMoves } from './moves-watch.ts';
import { untilPosition } from './until-position.ts';

export type { Progress };

export { CATCH_UP_RETRY, type RunnerOptions };

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
  const slots = createProjectionSlots(readStore, projections, () => releases);
  let running: Promise<void> | undefined;
  let again = false;
  let unsubscribe: (() => void) | undefined;
  /** While following: looks whether another process moved the read store while no ledger commit woke this runner. */
  let watch: { stop(): void } | undefined;
  let stopped = false;

  const flush = flushSlot({
    store,
    readStore,
    settlePerWrite,
    maxCached,
    onSaved: (projection, keys) => caughtUp.emit('saved', projection, keys),
  });

  const position = slots.position;
  /**
   * Where the views stand for a reader: this process's position, or the store's when another
   * process sharing it has since moved it back (a rebuild beside this one resets every view),
   * until this runner has folded again from there. The documents and history are the store's,
   * so a read must not be told they hold what the store no longer does.
   */
  const viewsPosition = (): bigint => {
    const mine = position();
    // A stopped runner's store may be closed already (the process is shutting down): its own position stands.
    if (stopped || !readStore.movedElsewhere()) return mine;
    const stored = lowestCheckpoint(
      slots.all().map((slot) => ({ checkpoint: readStore.checkpoint(slot.projection.name)?.position ?? -1n })),
    );
    return stored < mine ? stored : mine;
  };

  /** Which release folds the views, when processes of several share the store (./release-guard.ts). */
  const releases = createReleaseGuard({
    readStore,
    projections,
    lookAgainMs: options.lookAgainMs ?? 5_000,
    onError: (error) => (options.onError ?? ((e) => console.error(String(e))))(error),
    onViewsDropped: options.onViewsDropped ?? ((message) => console.warn(message)),
    busy: () => stopped || running !== undefined,
    // Waited for by stop() from its first step: stopped while it reads the head, it takes nothing.
    takeOver: () =>
      underWay(
        (async () => {
          // Not ready until the views reach the head as it is now, however the fold fares (a failed pass is tried again).
          const head = (await store.headPosition()) ?? -1n;
          if (stopped) return;
          rebuildingTo = head;
          await whileFolding(readStore.file, async () => {
            if (stopped) return;
            slots.openAll(() => false);
            // Everything its readers kept was of the other release's views.
            caughtUp.emit('resynced', undefined);
            await catchUpFromStart();
          });
        })(),
      ),
  });

  /** After standing aside, the head the views must reach again before this runner is ready. */
  let rebuildingTo: bigint | undefined;
  const rebuilding = (): string | undefined => {
    if (rebuildingTo === undefined) return undefined;
    if (position() >= rebuildingTo) return (rebuildingTo = undefined);
    return `${readStore.file}: the views are being built again at this release's version, up to position ${rebuildingTo}`;
  };

  /**
   * A fold of the backlog under way (a start, rebuild, resume or take-over), which stop() waits
   * for: stopped before it took the views, it takes nothing; after, they are let go of only once
   * it has taken them.
   */
  let opening: Promise<unknown> = Promise.resolve();
  /** Every such fold is waited for, not only the last begun; its failure is its caller's to report. */
  const underWay = (work: Promise<void>): Promise<void> => {
    opening = Promise.allSettled([opening, work]);
    return work;
  };
  /**
   * Opens the projections on the store as it stands (perhaps resetting them) and folds from their
   * checkpoints, unless stopped meanwhile, holding the folding lock, taken before anything is reset:
   * a following runner in another process leaves the store to this fold rather than fold beside it
   * (moves-watch.ts). A take-over (above) holds it the same way.
   */
  const openAndFold = (forceRebuild: (projection: AnyProjection) => boolean, onProgress?: (p: Progress) => void) =>
    underWay(
      whileFolding(readStore.file, async () => {
        await guard();
        if (stopped) return;
        slots.openAll(forceRebuild);
        await catchUpFromStart(onProgress);
      }),
    );

  let resyncOwed = false;
  /** Another process took the views back (a rebuild beside this one), and no catch-up has since folded them to the head. */
  let viewsWentBack = false;
  /**
   * Forgets what was folded in memory and starts again from the store as it stands: after a
   * failed pass (nothing committed is lost), and whenever another process sharing the read
   * store has written to it (ReadStoreMoved), when this process's documents, history blocks
   * and value ids may be behind it. Its readers drop what they kept (`onResynced`).
   */
  const resync = () => {
    resyncOwed = true;
    const before = position();
    const { historyReset } = slots.takeBack();
    resyncOwed = false;
    // What was written since the position this process had reached, unless the store was rebuilt since
    // (it went back, or was reset and has come as far again: what was read meanwhile is kept): then everything.
    const after = position();
    if (after < before || historyReset) viewsWentBack = true;
    caughtUp.emit('resynced', after >= before && !historyReset ? before : undefined);
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
      // After this turn, always: were nothing awaited below (a runner standing aside), the finally
      // would clear `running` before it was set, and it would stay set for good.
      await Promise.resolve();
      try {
        // A runner standing aside for another release folds nothing.
        if (releases.standingAside() === undefined)
          folded = await foldBacklogInParallel({
            options,
            store,
            readStore,
            slots: slots.all(),
            settlePerWrite,
            stopped: () => stopped,
            onSaved: (name, keys) => caughtUp.emit('saved', name, keys),
            onPosition: () => caughtUp.emit('position', position()),
            historyWriter: slots.historyWriter,
            onProgress,
          });
      } catch (error) {
        resync();
        // Another process sharing the read store wrote meanwhile: the catch-up below goes on from there.
        if (!(error instanceof ReadStoreMoved))
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
    // Another process sharing the read store has folded since, or the last resync failed: start from what the store holds.
    if (resyncOwed || readStore.movedElsewhere()) resync();
    if (releases.standingAside() !== undefined) return;
    const folding = { store, readStore, slots: slots.all, flush, chunkEvents, position, stopped: () => stopped, onProgress };
    await foldPass(folding, position() + 1n);
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
          try {
            await pass(onProgress);
          } catch (error) {
            if (!(error instanceof ReadStoreMoved)) throw error;
            // Another process sharing the read store wrote first: fold again from what it wrote (usually nothing is left).
            resync();
            again = true;
          }
          caughtUp.emit('position', position());
        } while (again && !stopped);
        // Folded to the head as it was read: whatever another process had reset is folded again.
        if (!stopped && releases.standingAside() === undefined) viewsWentBack = false;
        retry.succeeded();
      } catch (error) {
        const report = options.onError ?? ((e) => console.error('projection catch-up failed', e));
        report(error);
        // A failed pass loses nothing committed: forget what was in memory and resume from the checkpoints.
        // A resync that fails too (the read store still busy) is owed, and made before the next pass folds.
        try {
          resync();
        } catch (resyncError) {
          report(resyncError);
        }
        // While following, tried again by itself rather than only at the next append: on a quiet ledger that could be hours.
        if (unsubscribe && !stopped) retry.failed();
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  // A failed pass (the read store busy past its timeout while another process holds a long write, a full disk).
  const retry = retryWithBackoff(() => void catchUp(), CATCH_UP_RETRY);

  /** Drops views of another ledger (./ledger-guard.ts) before the projections are opened. */
  const guard = async () => {
    const { rebuiltBecause } = await guardReadStoreLedger(readStore, store);
    if (rebuiltBecause) (options.onViewsDropped ?? ((message) => console.warn(message)))(rebuiltBecause);
  };

  return {
    /**
     * Opens every projection (rebuilding any whose version changed), catches up, then follows the ledger. `onProgress`
     * hears how far the catch-up has got: a start whose views are rebuilt folds the whole ledger.
     */
    async start(onProgress?: (p: Progress) => void): Promise<void> {
      await openAndFold(() => false, onProgress);
      // Stopped while catching up: follow nothing.
      if (stopped) return;
      unsubscribe = store.subscribe(() => void catchUp());
      // What another process appended between the catch-up's end and the subscription is heard by no one: looked for once.
      void catchUp();
      watch = watchForMoves({
        readStore,
        everyMs: options.lookForMovesMs ?? 5_000,
        idle: () => !stopped && running === undefined,
        resync,
        catchUp: () => void catchUp(),
        onError: options.onError ?? ((e) => console.error('could not look whether another process moved the read store', e)),
      });
    },
    /** From position 0 for the named projections (all when none are named). */
    async rebuild(names: string[] = [], onProgress?: (p: Progress) => void): Promise<void> {
      await openAndFold((p) => names.length === 0 || names.includes(p.name), onProgress);
    },
    /** Catches up without following: for a process that only resumes and exits. */
    async resume(onProgress?: (p: Progress) => void): Promise<void> {
      await openAndFold(() => false, onProgress);
    },
    position: viewsPosition,
    /**
     * Why this runner is not ready, or undefined: it folds nothing (another process keeps the
     * views at another version), or is building them again after that.
     */
    retired: () => releases.standingAside() ?? releases.takingOver() ?? rebuilding(),
    /**
     * Whether the views may be partial since another process reset them (`behindAFold` says, given the ledger's head):
     * asked first, as it needs no head, by what refuses a read of them meanwhile. It reads the store's checkpoints only
     * when another process has committed to the store since this one last looked (`viewsPosition`).
     */
    mayBeBehindAFold: (): boolean => !stopped && (viewsWentBack || viewsPosition() < position()),
    /**
     * Why the views, behind the ledger's head, are partial rather than a moment behind, or undefined: another process
     * has reset them (`ledger rebuild` beside this service), and this runner has not yet folded them to the head since
     * (`viewsWentBack`), or has not yet even taken the store as it was left (the store behind this runner's own
     * position). /ready says so, as answers read from them leave out what they have not folded.
     */
    behindAFold(head: bigint | undefined): string | undefined {
      if (stopped || head === undefined) return undefined;
      const at = viewsPosition();
      if (at >= head || (at >= position() && !viewsWentBack)) return undefined;
      const where = `they stand at position ${at} of the ledger's ${head}`;
      return `${readStore.file}: another process reset the views this one shares (a rebuild beside it); ${where}`;
    },
    /**
     * Calls the listener when the runner starts again from the store as another process left it,
     * with the position this process had reached (what was written after it may be kept stale),
     * or undefined when the store went back before it (a rebuild): then anything kept may be.
     */
    onResynced(listener: (since: bigint | undefined) => void): () => void {
      caughtUp.on('resynced', listener);
      return () => void caughtUp.off('resynced', listener);
    },
    /** Calls the listener with a projection's name and the keys of the documents just written. */
    onSaved(listener: (projection: string, keys: string[]) => void): () => void {
      caughtUp.on('saved', listener);
      return () => void caughtUp.off('saved', listener);
    },
    /** Resolves true once every projection has applied `target`, false if that takes longer than timeoutMs. */
    waitFor(target: bigint, timeoutMs: number): Promise<boolean> {
      // A stopped runner folds nothing more: the views will not come further by waiting.
      if (stopped) return Promise.resolve(position() >= target);
      if (viewsPosition() >= target) return Promise.resolve(true);
      void catchUp();
      return untilPosition(caughtUp, viewsPosition, target, timeoutMs);
    },
    async stop(): Promise<void> {
      stopped = true;
      unsubscribe?.();
      watch?.stop();
      retry.cancel();
      await opening;
      await running;
      releases.release();
    },
  };
};
export type ProjectionRunner = ReturnType<typeof createProjectionRunner>;
