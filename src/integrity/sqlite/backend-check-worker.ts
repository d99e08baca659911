import { parentPort, workerData } from 'node:worker_threads';
import { openForReading } from '../../files/sqlite/read-only-open.ts';
import { runBackendChecks } from './backend-checks.ts';
import type { StorageCheck } from './storage-check.ts';

/**
 * The SQLite ledger's own checks in a worker thread, on its own read-only connection, so a long integrity_check never blocks the
 * caller.
 */
const { file, size, storage } = workerData as { file: string; size: number; storage: StorageCheck };
const db = openForReading(file);
try {
  db.exec('BEGIN');
  parentPort!.postMessage(runBackendChecks(db, file, size, storage));
  db.exec('COMMIT');
} catch (error) {
  parentPort!.postMessage({
    checked: [],
    storage: {
      kind: 'storage-damaged',
      message: `SQLite cannot read ${file}: ${(error as Error).message}`,
      found: (error as Error).message,
    },
  });
} finally {
  db.close();
}
