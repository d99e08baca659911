import { parentPort, workerData } from 'node:worker_threads';
import { openForReading } from '../../files/sqlite/read-only-open.ts';
import { verifyChainRange } from '../verify-chains.ts';
import { sqliteChainRows } from './chain-rows.ts';

/**
 * Slices of `ledger verify` in a worker thread, on its own read-only connection: posts each
 * slice's result as it finishes, and progress between pages.
 */
const { file, slices, checkpointSizes } = workerData as {
  file: string;
  slices: Array<{ index: number; from: number; to: number }>;
  checkpointSizes: number[];
};
const db = openForReading(file);
db.exec('BEGIN');
const rows = sqliteChainRows(db);
for (const { index, from, to } of slices) {
  const result = await verifyChainRange(rows, from, to, checkpointSizes, (checked) =>
    parentPort!.postMessage({ index, progress: checked }),
  );
  parentPort!.postMessage({ index, result });
}
db.exec('COMMIT');
db.close();
parentPort!.postMessage({ done: true });
