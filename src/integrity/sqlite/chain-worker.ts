import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { verifyChainRange } from './verify-chains.ts';

/** One slice of `ledger verify`, in a worker thread: its own read-only connection and snapshot. */
const { file, from, to } = workerData as { file: string; from: number; to: number };
const db = new Database(file, { readonly: true });
db.exec('BEGIN');
const result = verifyChainRange(db, from, to, (checked) => parentPort!.postMessage({ progress: checked }));
db.exec('COMMIT');
db.close();
parentPort!.postMessage({ result });
