import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { namingDamage } from '../damaged-database.ts';
import type { AppendDurability } from '../port.ts';

export type Db = Database.Database;

/**
 * Opens the ledger file with the settings every connection needs. journal_mode is
 * stored in the file, but synchronous and busy_timeout are per connection, so they
 * are set on every open, never assumed.
 */
export const openConnection = (file: string, busyTimeoutMs: number, durability: AppendDurability = 'each-append'): Db => {
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new RangeError(`busyTimeoutMs must be a non-negative integer, got ${busyTimeoutMs}`);
  }
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    configureConnection(db, busyTimeoutMs, durability);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

// These are the first reads of the file: a damaged one (cut short, overwritten) fails here, and is named.
export const configureConnection = (db: Db, busyTimeoutMs: number, durability: AppendDurability = 'each-append'): void =>
  namingDamage(db.name, () => {
    // Another process may hold the write lock; wait for it rather than fail at once.
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // WAL lets readers (projections, other processes) run while a batch commits.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`could not switch ${db.name} to WAL mode (got ${String(mode)})`);
    // FULL fsyncs the WAL on every commit: an acknowledged append survives power loss.
    // NORMAL (the usual WAL pairing) may lose the last commits, which an audit ledger cannot,
    // except in a bulk load that redoes what it lost and syncs once at the end (see AppendDurability).
    db.pragma(durability === 'at-close' ? 'synchronous = NORMAL' : 'synchronous = FULL');
  });

/**
 * fsyncs the ledger file, its WAL and their directory: after this, everything committed on
 * any connection survives power loss, whatever `synchronous` was (a checkpoint could be held
 * back by a reader; the files' own fsync cannot).
 */
export const syncToDisk = (file: string): void => {
  for (const name of [`${file}-wal`, file, path.dirname(file)]) {
    let fd: number;
    try {
      fd = fs.openSync(name, 'r');
    } catch (error) {
      // No WAL file: every commit is in the database file already.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
};
