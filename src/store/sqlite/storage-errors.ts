import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StorageFull } from '../storage-full.ts';

/** Bytes available to this process on the disk holding `dir`, or undefined if it cannot be told. */
export const freeBytesAt = (dir: string): number | undefined => {
  try {
    const stats = fs.statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return undefined;
  }
};

/** Below this, an I/O error while writing is taken to be the disk filling up, not a failing disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/**
 * The error as a StorageFull when it means the disk holding `file` has no room: SQLite's
 * SQLITE_FULL, Node's ENOSPC, or an SQLite I/O error (growing the WAL or its index) while the
 * disk is all but full; undefined for any other error.
 */
export const asStorageFull = (error: unknown, file: string): StorageFull | undefined => {
  if (error instanceof StorageFull) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const dir = fs.existsSync(file) && fs.statSync(file).isDirectory() ? file : path.dirname(file);
  const free = freeBytesAt(dir);
  const sqliteIo = error instanceof Database.SqliteError && code.startsWith('SQLITE_IOERR');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || (sqliteIo && free !== undefined && free < NEARLY_FULL_BYTES))
    return new StorageFull(dir, free, { cause: error });
  return undefined;
};
