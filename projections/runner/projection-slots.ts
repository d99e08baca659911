import { createInterner } from '../history/storage/interner.ts';
import type { Slot } from './flush-slot.ts';
import { lowestCheckpoint } from './parallel-backlog.ts';
import type { AnyProjection } from './projection.ts';
import type { ReadStore } from './read-store.ts';

/** What the slots ask of the release guard (./release-guard.ts) as they open or take back a projection's views. */
export interface SlotReleases {
  open(projection: AnyProjection, forceRebuild: boolean): 'keep' | 'reset' | 'standAside';
  foundAt(projection: AnyProjection, stored: number): void;
}

/**
 * The projections as this process holds them (a Slot each: its checkpoint, the documents kept in
 * memory, the snapshots and history waiting to be written), opened on the read store or taken
 * back from it as it stands. `releases` is asked lazily: the guard is built after the slots.
 */
export const createProjectionSlots = (readStore: ReadStore, projections: AnyProjection[], releases: () => SlotReleases) => {
  let slots: Slot[] = [];
  /** The history's generation as this process last took the store: another that differs means it was reset since (a rebuild). */
  let historyGeneration: number | undefined;

  /** A projection's history writer, handing out value ids after every id already stored. */
  const historyWriter = (projection: AnyProjection) =>
    projection.history?.(readStore.history, createInterner(readStore.history.maxValueId() + 1));

  const open = (projection: AnyProjection, forceRebuild: boolean): Slot => {
    // Views a newer release keeps while it runs are left as they are (so a restart of an older
    // release cannot undo an upgrade) unless this one is told to rebuild (./release-guard.ts).
    if (releases().open(projection, forceRebuild) === 'reset')
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

  return {
    all: (): Slot[] => slots,
    historyWriter,
    /** The position every projection has applied. */
    position: (): bigint => lowestCheckpoint(slots),
    /** Opens the projections on the store as it stands: adopted first, so a commit by another process after it is noticed. */
    openAll(forceRebuild: (projection: AnyProjection) => boolean): void {
      readStore.adopt();
      slots = projections.map((p) => open(p, forceRebuild(p)));
      historyGeneration = readStore.history.generation();
    },
    /**
     * Forgets what was folded in memory and takes each projection back at the checkpoint the store
     * holds; says whether the history was reset since this process last took the store.
     */
    takeBack(): { historyReset: boolean } {
      readStore.adopt();
      for (const slot of slots) {
        slot.cache.clear();
        slot.dirty.clear();
        slot.snapshots = [];
        const saved = readStore.checkpoint(slot.projection.name);
        slot.checkpoint = saved?.position ?? -1n;
        slot.history = historyWriter(slot.projection);
        if (saved) releases().foundAt(slot.projection, saved.version);
      }
      const generation = readStore.history.generation();
      const historyReset = generation !== historyGeneration;
      historyGeneration = generation;
      return { historyReset };
    },
  };
};
