import Database from 'better-sqlite3';

/** How long a process waits for another to finish its change of the learned file before giving up. */
const WAIT_MS = 10_000;

/**
 * Runs `change` while this process alone may change the learned-alias file: every process on the
 * data dir (`ledger import`, a server importing its demo data) reads the file, adds what it learned
 * and writes it back, and two doing so at once each wrote back only their own additions, so one's
 * names were lost. The lock is SQLite's exclusive lock on a small file beside it (`<file>.lock`):
 * a second process waits for it, and the operating system lets it go however the holder ends, so
 * a killed import leaves nothing locked. `change` is synchronous: the lock is held only while it runs.
 */
export const withLearnedFileLock = <T>(lockFile: string, change: () => T): T => {
  const db = new Database(lockFile, { timeout: WAIT_MS });
  try {
    db.exec('BEGIN EXCLUSIVE');
    try {
      return change();
    } finally {
      db.exec('COMMIT');
    }
  } finally {
    db.close();
  }
};
