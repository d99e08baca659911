import { Worker } from 'node:worker_threads';
import type { BackendCheckReport } from '../port.ts';
import type { StorageCheck } from './storage-check.ts';

/** Runs the SQLite ledger's own checks (backend-checks.ts) in a worker thread on its own read-only connection. */
export const backendChecksInWorker = (file: string, size: number, storage: StorageCheck): Promise<BackendCheckReport> =>
  new Promise((resolve, reject) => {
    const entry = new URL('../../typescript-worker-entry.mjs', import.meta.url);
    const module = new URL('./backend-check-worker.ts', import.meta.url).href;
    const worker = new Worker(entry, { workerData: { module, file, size, storage } });
    worker.once('message', (report: BackendCheckReport) => {
      resolve(report);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the ledger check thread stopped (exit ${code}) before it reported`)));
  });
