import type { Database as Db } from 'better-sqlite3';
import path from 'node:path';
import type { BackendCheckReport } from '../port.ts';
import { checkCommandResults } from './command-results.ts';
import { checkGuards, checkStorage, type StorageCheck } from './storage-check.ts';

/**
 * The SQLite ledger's own part of verify, on a connection in a read transaction: SQLite's
 * check of the file, then every command result against the events it names, then the
 * append-only guards. Runs in a worker thread on a large ledger (backend-check-worker.ts).
 */
export const runBackendChecks = (db: Db, file: string, size: number, storage: StorageCheck): BackendCheckReport => {
  const name = path.basename(file);
  const checked = [
    `SQLite ${storage === 'full' ? 'integrity_check' : 'quick_check'} of ${name}`,
    'every command result against the events it names',
    "the ledger file's append-only triggers",
  ];
  const damaged = checkStorage(db, storage, file);
  // A damaged file may not even read: say what SQLite says and stop there.
  if (damaged) return { checked, storage: damaged };
  const records = checkCommandResults(db, size) ?? checkGuards(db, file);
  return { checked, ...(records ? { records } : {}) };
};
