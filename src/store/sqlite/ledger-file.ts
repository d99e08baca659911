import { openConnection, type Db } from './connection.ts';
import { migrate, reportUpgrade } from './schema.ts';

/**
 * A connection of its own to a ledger file, migrated to this build's schema: what the SQLite
 * backend hands the parts that read the file beside the event store (the integrity port).
 */
export const openLedgerFile = (file: string, busyTimeoutMs = 5000): Db => {
  const db = openConnection(file, busyTimeoutMs);
  try {
    migrate(db, reportUpgrade(file));
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};
