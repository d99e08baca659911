import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens the ledger file with the settings every connection needs. journal_mode is
 * stored in the file, but synchronous and busy_timeout are per connection, so they
 * are set on every open, never assumed.
 */
export const openConnection = (file: string, busyTimeoutMs: number): Db => {
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new RangeError(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
  }
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    configureConnection(db, busyTimeoutMs);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

export const configureConnection = (db: Db, busyTimeoutMs: number): void => {
  // Another process may hold the write lock; wait for it rather than fail at once.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // WAL lets readers (projections, other processes) run while a batch commits.
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`could not switch ${db.name} to WAL mode (got ${String(mode)})`);
  // FULL fsyncs the WAL on every commit: an acknowledged append survives power loss.
  // NORMAL (the usual WAL pairing) may lose the last commits, which an audit ledger cannot.
  db.pragma('synchronous = FULL');
};
