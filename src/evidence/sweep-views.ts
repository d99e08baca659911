import type { ProjectionRunner } from '../../projections/runner/runner.ts';
import type { ReadStore } from '../../projections/runner/read-store.ts';
import type { EventStore } from '../store/port.ts';

/** How long a sweep waits for the views to reach the ledger's head before it skips its turn. */
const WAIT_MS = 30_000;

/**
 * What the evidence sweep reads the ledger's references by, on this instance's views.
 *
 * `catchUp`: true once the views hold every event appended before the call. False while this
 * instance's views are another release's (`retired`): they are read in this release's format, so
 * which files the ledger references cannot be told from them, and a sweep that removes files must
 * not guess.
 *
 * `viewsStand`: whether the evidence index is still the one caught up, asked before each file is
 * judged: another process may reset it mid-sweep (a newer release starting, `ledger rebuild`), and
 * an index being built again names few files, so every other file would look unreferenced.
 */
export const sweepViews = (
  store: Pick<EventStore, 'headPosition'>,
  runner: Pick<ProjectionRunner, 'retired' | 'waitFor'>,
  readStore: Pick<ReadStore, 'checkpoint'>,
  projection: { name: string; version: number },
) => {
  let caughtUpAt: { version: number; position: bigint } | undefined;
  return {
    catchUp: async (): Promise<boolean> => {
      caughtUpAt = undefined;
      if (runner.retired() !== undefined) return false;
      const head = await store.headPosition();
      if (head !== undefined && !(await runner.waitFor(head, WAIT_MS))) return false;
      // The store's own checkpoint, not this process's: another may have reset the index since (a rebuild under way).
      const at = readStore.checkpoint(projection.name);
      if (at === undefined || at.version !== projection.version || (head !== undefined && at.position < head)) return false;
      caughtUpAt = at;
      return true;
    },
    viewsStand: (): boolean => {
      const now = readStore.checkpoint(projection.name);
      return (
        caughtUpAt !== undefined &&
        now !== undefined &&
        now.version === caughtUpAt.version &&
        now.position >= caughtUpAt.position &&
        runner.retired() === undefined
      );
    },
  };
};
