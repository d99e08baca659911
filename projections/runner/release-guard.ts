import type { AnyProjection } from './projection.ts';
import type { ReadStore } from './read-store.ts';
import { holdViews, viewsHeld } from './sqlite/views-held.ts';

export interface ReleaseGuardOptions {
  readStore: Pick<ReadStore, 'file' | 'checkpoint'>;
  projections: AnyProjection[];
  /** While another release keeps the views, how often to look whether it still runs. */
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
  const held = new Map<string, { release(): void }>();
  let standingAside: string | undefined;
  let lookTimer: NodeJS.Timeout | undefined;

  const newerRuns = (projection: AnyProjection) => {
    const saved = readStore.checkpoint(projection.name);
    return saved !== undefined && saved.version > projection.version && viewsHeld(readStore.file, projection.name, saved.version);
  };

  const lookEvery = () => {
    lookTimer = setInterval(() => void lookAgain(), options.lookAgainMs);
    lookTimer.unref();
  };

  const lookAgain = async () => {
    if (standingAside === undefined || options.busy() || options.projections.some(newerRuns)) return;
    clearInterval(lookTimer);
    const was = standingAside;
    standingAside = undefined;
    try {
      await options.takeOver();
    } catch (error) {
      // Nothing is folded over the other release's views until a take-over succeeds.
      options.onError(error);
      standingAside = was;
      lookEvery();
    }
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
    lookEvery();
  };

  return {
    /**
     * What to do with a projection's stored views as the runner opens it: 'keep' them (at its
     * version), 'reset' them to be built at its version, or 'standAside' for a newer release.
     */
    open(projection: AnyProjection, forceRebuild: boolean): 'keep' | 'reset' | 'standAside' {
      if (!held.has(projection.name)) held.set(projection.name, holdViews(readStore.file, projection.name, projection.version));
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
    /** Stops looking, and lets go of what this process held. */
    release() {
      clearInterval(lookTimer);
      lookTimer = undefined;
      for (const hold of held.values()) hold.release();
      held.clear();
    },
  };
};
