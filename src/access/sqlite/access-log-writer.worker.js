// The access log's writer thread. Plain JavaScript because worker threads do not inherit
// the TypeScript loader the `ledger` command registers. It owns its own connection to
// access.db and commits each batch it is sent in one transaction: the fsync that makes
// a record durable (synchronous=FULL) then blocks this thread, not the event loop that
// serves requests.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { timeout: 5000 });
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
// The next id after the live rows and the archived ones: archiving removes rows, and an id must never come back.
const insert = db.prepare(
  'INSERT INTO access_log (id, at, principal_id, principal_name, role, organisation, method, route, path, plan_id, status, ' +
    'request_id, ip) VALUES (max(coalesce((SELECT max(id) FROM access_log), 0), ' +
    'coalesce((SELECT max(last_id) FROM access_log_archives), 0)) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
// Each row is the columns in order, as toRow in access-log.ts lays them out.
const writeBatch = db.transaction((rows) => {
  for (const row of rows) insert.run(row);
});

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.postMessage({ type: 'closed' });
    return;
  }
  try {
    writeBatch(JSON.parse(message.rows));
    parentPort.postMessage({ type: 'written', batch: message.batch });
  } catch (error) {
    // The code (SQLITE_FULL, …) travels too, so a full disk is answered as one, not as an unknown failure.
    parentPort.postMessage({
      type: 'failed',
      batch: message.batch,
      error: String(error instanceof Error ? error.message : error),
      code: typeof error?.code === 'string' ? error.code : undefined,
    });
  }
});
