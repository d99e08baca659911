import type { ReadStore } from './read-store.ts';
import { foldingHeld } from './sqlite/views-held.ts';

export interface MovesWatchOptions {
  readStore: Pick<ReadStore, 'file' | 'movedElsewhere'>;
  everyMs: number;
  /** Whether the runner may act now: following, and no pass of its own under way. */
  idle: () => boolean;
  /** Takes the store as it stands, folding nothing (the runner's resync). */
  resync: () => void;
  /** Folds from where the store stands (the runner's catch-up). */
  catchUp: () => void;
  onError: (error: unknown) => void;
}

/**
 * While a runner follows the ledger: looks every few seconds whether another process moved the
 * read store. A rebuild stopped or killed part way leaves the views reset and behind the ledger,
 * and on a quiet ledger no commit would wake the runner to fold them again, so reads would stay
 * partial. Beside a fold still under way (the folding lock is held: sqlite/views-held.ts) the
 * store is only taken as it stands, folding nothing: folding beside it would race it for every
 * write. Readers then drop what it no longer holds, the position and readiness say where its views
 * are, and a newer release's views are stood aside for at once. Once no one holds the lock, the
 * runner folds from there.
 */
export const watchForMoves = (options: MovesWatchOptions): { stop(): void } => {
  const { readStore } = options;
  /** The store was seen moved while another process folded: a catch-up is owed once it stops (taking the store took the sign). */
  let foldOwed = false;
  let failedAt: number | undefined;
  const look = () => {
    if (!options.idle()) return;
    try {
      const moved = readStore.movedElsewhere();
      if (!moved && !foldOwed) return;
      if (foldingHeld(readStore.file)) {
        if (moved) options.resync();
        foldOwed = true;
        return;
      }
      foldOwed = false;
      options.catchUp();
    } catch (error) {
      // A look that fails (the store busy past its timeout) is made again at the next tick, and told at most once a minute.
      const now = Date.now();
      if (failedAt !== undefined && now - failedAt < 60_000) return;
      failedAt = now;
      options.onError(error);
    }
  };
  const timer = setInterval(look, options.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};
