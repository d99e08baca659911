/**
 * A rebuild in its own process, for the crash test: prints each checkpoint as soon as it
 * is committed, so the parent can SIGKILL it mid-rebuild. Args: ledger file, data dir, chunk
 * size, worker threads (1: the one-thread fold; more: the parallel fold from the first event).
 */
import { openReadModels } from '../../projections/read-models.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { sqliteWorkerReads } from '../../src/store/sqlite/worker-reader.ts';

const [file, dataDir, chunk, workers = '1'] = process.argv.slice(2) as [string, string, string, string?];
const store = openSqliteEventStore({ file, pageSize: 500 });
const readModels = openReadModels({
  store,
  workerReads: sqliteWorkerReads(file),
  dataDir,
  runner: { chunkEvents: Number(chunk), rebuildWorkers: Number(workers), parallelFromEvents: 0 },
});
await readModels.runner.rebuild([], (p) => process.stdout.write(`checkpoint ${p.checkpoint}\n`));
process.stdout.write('done\n');
await readModels.close();
await store.close();
