import type { AnyProjection } from './projection.ts';
import type { ReadStore } from './read-store.ts';
import { holdViews, viewsFileInode, viewsHeld, type HeldViews } from './sqlite/views-held.ts';

export interface ReleaseGuardOptions {
  readStore: Pick<ReadStore, 'file' | 'checkpoint'>;
  projections: AnyProjection[];
  /** How often to look whether another release still keeps the views, and that this process's own files are there. */
  lookAgainMs: number;
  /** Told once when this runner stands aside, and of a failed take-over (tried again at the next look). */
  onError: (error: unknown) => void;
  /** Told when views of a release no longer running are dropped to be built again. */
  onViewsDropped: (message: string) => void;
  /** Whether the runner is busy now (a pass running) or stopped: the look waits for the next tick. */
  busy: () => boolean;
  /** Builds the views at this release's version, as on start: once no newer release runs. */
  takeOver: () => Promise<void>;
}

/**
 * Which release folds a read store shared by several processes (a rolling upgrade, a rollback).
 * Each process holds the views it folds, at its version, for as long as it runs
 * (./sqlite/views-held.ts). One that finds them at a newer version held by a running process
 * stands aside (`standingAside`): it folds nothing rather than lay its version's documents over
 * the other's, says so once, and is not ready (`/ready`). It looks again every few seconds, and
 * builds the views at its own version once no process of the newer release runs. Views at a
 * newer version that nobody holds (a rollback) are rebuilt at once; views an older release
 * rebuilt over this one's (the two started together) are built again by this one, and the older
 * then stands aside.
 */
export const createReleaseGuard = (options: ReleaseGuardOptions) => {
  const { readStore } = options;
  const held = new Map<string, HeldViews>();
  let standingAside: string | undefined;
  /** Set while the views are built at this release's version after standing aside: not ready yet. */
  let takingOver: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failedAt: number | undefined;

  /** Holds the projection's file; the lock held before, if any, is let go only once the new one is held. */
  const hold = (projection: AnyProjection) => {
    const before = held.get(projection.name);
    held.set(projection.name, holdViews(readStore.file, projection.name, projection.version));
    before?.release();
  };

  const newerRuns = (projection: AnyProjection) => {
    const saved = readStore.checkpoint(projection.name);
    return saved !== undefined && saved.version > projection.version && viewsHeld(readStore.file, projection.name, saved.version);
  };

  const lookAgain = async () => {
    if (standingAside === undefined || options.busy() || options.projections.some(newerRuns)) return;
    const was = standingAside;
    standingAside = undefined;
    takingOver = `${readStore.file}: no process of the release that kept the views runs any more: this one builds them at its own version`;
    try {
      await options.takeOver();
    } catch (error) {
      // Nothing is folded over the other release's views until a take-over succeeds.
      options.onError(error);
      standingAside = was;
    } finally {
      takingOver = undefined;
    }
  };

  /**
   * Every few seconds: holds again a file that was removed while this process ran (it would
   * otherwise look free to an older release), and, while standing aside, looks again. A look that
   * fails (no file descriptor left, a file it may not open) is taken as "still held", reported at
   * most once a minute, and made again at the next tick.
   */
  const tick = async () => {
    try {
      for (const projection of options.projections) {
        const mine = held.get(projection.name);
        if (mine && viewsFileInode(readStore.file, projection.name, projection.version) !== mine.inode) hold(projection);
      }
      await lookAgain();
    } catch (error) {
      const now = Date.now();
      if (failedAt !== undefined && now - failedAt < 60_000) return;
      failedAt = now;
      options.onError(error);
    }
  };

  const startTicking = () => {
    if (timer) return;
    timer = setInterval(() => void tick(), options.lookAgainMs);
    timer.unref();
  };

  const standAside = (projection: AnyProjection, stored: number) => {
    if (standingAside !== undefined) return;
    standingAside =
      stored > projection.version
        ? `${readStore.file}: another process keeps the ${projection.name} views at version ${stored}; this one folds version ` +
          `${projection.version}, so it folds nothing while a process of that release runs, then builds them at its own version`
        : `${readStore.file}: another process rebuilt the ${projection.name} views at version ${stored}, an older release's; ` +
          `this one folds version ${projection.version}, and builds them again at it`;
    options.onError(new Error(standingAside));
  };

  return {
    /**
     * What to do with a projection's stored views as the runner opens it: 'keep' them (at its
     * version), 'reset' them to be built at its version, or 'standAside' for a newer release.
     */
    open(projection: AnyProjection, forceRebuild: boolean): 'keep' | 'reset' | 'standAside' {
      if (!held.has(projection.name)) hold(projection);
      startTicking();
      const saved = readStore.checkpoint(projection.name);
      if (forceRebuild || !saved) return 'reset';
      if (saved.version === projection.version) return 'keep';
      if (saved.version > projection.version) {
        if (newerRuns(projection)) {
          standAside(projection, saved.version);
          return 'standAside';
        }
        options.onViewsDropped(
          `${readStore.file}: the ${projection.name} views at version ${saved.version}, whose release no longer runs, ` +
            `were dropped, to be built again at this release's version`,
        );
      }
      return 'reset';
    },
    /** The store was found at another version of a projection while following: another process reset it. */
    foundAt(projection: AnyProjection, stored: number) {
      if (stored !== projection.version) standAside(projection, stored);
    },
    /** Why this runner folds nothing, or undefined. */
    standingAside: () => standingAside,
    /** Why this runner is not ready though it folds (building the views after standing aside), or undefined. */
    takingOver: () => takingOver,
    /** Stops looking, and lets go of what this process held. */
    release() {
      clearInterval(timer);
      timer = undefined;
      for (const hold of held.values()) hold.release();
      held.clear();
    },
  };
};
