/**
 * A rebuild in its own process, for the crash test: prints each checkpoint as soon as it
 * is committed, so the parent can SIGKILL it mid-rebuild. Args: ledger file, data dir, chunk
 * size, worker threads (1: the one-thread fold; more: the parallel fold from the first event,
 * committing a batch of about a plan at a time), and the report after which it waits (blocked,
 * between two commits) for the parent's kill: a small ledger is rebuilt faster than a parent
 * can read a line and answer it.
 */
import { openReadModels } from '../../projections/read-models.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { sqliteWorkerReads } from '../../src/store/sqlite/worker-reader.ts';

const [file, dataDir, chunk, workers = '1', waitAfter = '0'] = process.argv.slice(2) as [string, string, string, string?, string?];
const store = openSqliteEventStore({ file, pageSize: 500 });
const readModels = openReadModels({
  store,
  workerReads: sqliteWorkerReads(file),
  dataDir,
  runner: { chunkEvents: Number(chunk), rebuildWorkers: Number(workers), parallelFromEvents: 0, rebuildBatchBytes: 20_000 },
});
let reports = 0;
await readModels.runner.rebuild([], (p) => {
  process.stdout.write(`checkpoint ${p.checkpoint}\n`);
  // Blocks this thread (stdout to a pipe is written synchronously, so the line is out).
  if (++reports === Number(waitAfter)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
});
process.stdout.write('done\n');
await readModels.close();
await store.close();
