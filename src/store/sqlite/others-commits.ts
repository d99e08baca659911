import type Database from 'better-sqlite3';

/** While looks keep failing, how often a failure is reported. */
const REPORT_EVERY_MS = 60_000;

/**
 * Notices commits made to the ledger file by other processes sharing it (several `ledger serve`
 * on one data dir). Each process's own appends notify its subscribers as they commit; another's
 * would be seen only when this process next wrote or was asked to wait for a position, so its
 * views could stay behind for as long as it had no writes of its own. SQLite's `data_version`
 * changes when another connection commits, never for this connection's own commits, so the
 * check is one pragma, made only while someone subscribes. The timer does not keep the process alive.
 */
export const watchOthersCommits = (
  db: Database.Database,
  everyMs: number,
  onCommitted: () => void,
  // A look that fails (the file busy past its timeout, an I/O error) is reported, never thrown out of the timer.
  onError: (error: unknown) => void,
  clock: () => number = Date.now,
) => {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let seen: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Looks fail together while the cause lasts: at most one failure a minute is reported, not four a second.
  let reportedAt: number | undefined;
  const look = () => {
    try {
      if (!db.open) return;
      const now = dataVersion.get()!;
      if (now === seen) return;
      onCommitted();
      // Only once told: a look whose telling failed is made again at the next tick, not at the next commit.
      seen = now;
    } catch (error) {
      const at = clock();
      if (reportedAt !== undefined && at - reportedAt < REPORT_EVERY_MS) return;
      reportedAt = at;
      onError(error);
    }
  };
  return {
    start() {
      if (timer) return;
      seen = dataVersion.get()!;
      timer = setInterval(look, everyMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
};
