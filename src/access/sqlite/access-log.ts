import { Worker } from 'node:worker_threads';
import type { Db } from '../../store/sqlite/connection.ts';
import type { AccessLog, AccessLogEntry, AccessLogPage, AccessLogQuery, LoggedAccess } from '../port.ts';
import { openAccessLogDb } from './access-db.ts';

export type AccessLogRow = {
  id: number;
  at: string;
  principal_id: string | null;
  principal_name: string | null;
  role: string | null;
  organisation: string | null;
  method: string;
  route: string;
  path: string;
  plan_id: string | null;
  status: number;
  request_id: string;
  ip: string | null;
};
export const toEntry = (r: AccessLogRow): LoggedAccess => ({
  id: r.id,
  at: r.at,
  principalId: r.principal_id,
  principalName: r.principal_name,
  role: r.role,
  organisation: r.organisation,
  method: r.method,
  route: r.route,
  path: r.path,
  planId: r.plan_id,
  status: r.status,
  requestId: r.request_id,
  ip: r.ip,
});

/** An entry as the writer's INSERT takes it: the columns in order (see access-log-writer.worker.js). */
const toRow = (e: AccessLogEntry) => [
  e.at,
  e.principalId,
  e.principalName,
  e.role,
  e.organisation,
  e.method,
  e.route,
  e.path,
  e.planId,
  e.status,
  e.requestId,
  e.ip,
];

type Pending = { entry: AccessLogEntry; resolve: () => void; reject: (e: unknown) => void };
type WriterMessage = { type: 'written' | 'failed' | 'closed'; batch?: number; error?: string; code?: string };

/** Reads the log through the given connection; WAL lets them run while the writer commits. */
export const queryAccessLog = (db: Db, q: AccessLogQuery): AccessLogPage => {
  const where: string[] = ['id > @after'];
  const params: Record<string, unknown> = { after: q.after ?? 0, limit: q.limit + 1 };
  const filter = (column: string, name: string, value: unknown, op = '=') => {
    if (value === undefined) return;
    where.push(`${column} ${op} @${name}`);
    params[name] = value;
  };
  filter('principal_id', 'principalId', q.principalId);
  filter('plan_id', 'planId', q.planId);
  filter('route', 'route', q.route);
  filter('status', 'status', q.status);
  filter('at', 'from', q.from, '>=');
  filter('at', 'to', q.to, '<');
  const rows = db
    .prepare<Record<string, unknown>, AccessLogRow>(`SELECT * FROM access_log WHERE ${where.join(' AND ')} ORDER BY id LIMIT @limit`)
    .all(params);
  const entries = rows.slice(0, q.limit).map(toEntry);
  return { entries, next: rows.length > q.limit ? entries.at(-1)!.id : null };
};

/**
 * The durable log of reads of sensitive detail in `<dataDir>/access-log.db`, shared by every
 * process on the data dir. record() resolves only after the entry is committed, so the caller
 * can hold the response until the read is on disk. Commits happen on a writer thread: one
 * batch in flight at a time, and everything recorded meanwhile goes in the next batch (group
 * commit), so fsyncs never stall the requests being served.
 */
export const openSqliteAccessLog = (file: string): AccessLog => {
  const db = openAccessLogDb(file);
  const worker = new Worker(new URL('./access-log-writer.worker.js', import.meta.url), { workerData: { file } });
  worker.unref();
  let waiting: Pending[] = [];
  let inFlight: { batch: number; pending: Pending[] } | undefined;
  let batches = 0;
  let closed: (() => void) | undefined;
  const idle: (() => void)[] = [];

  const send = () => {
    if (inFlight || waiting.length === 0) {
      if (!inFlight) for (const done of idle.splice(0)) done();
      return;
    }
    inFlight = { batch: ++batches, pending: waiting };
    waiting = [];
    worker.ref();
    // One string of positional rows, not an array of objects: a string crosses to the writer
    // thread as one copy, where structured-cloning objects walked every field of every entry.
    worker.postMessage({ type: 'write', batch: inFlight.batch, rows: JSON.stringify(inFlight.pending.map((p) => toRow(p.entry))) });
  };

  worker.on('message', (message: WriterMessage) => {
    if (message.type === 'closed') return closed?.();
    const done = inFlight;
    inFlight = undefined;
    worker.unref();
    if (done)
      for (const p of done.pending) {
        if (message.type === 'written') p.resolve();
        else p.reject(Object.assign(new Error(`access log not written: ${message.error}`), { code: message.code }));
      }
    send();
  });
  // A writer that died takes every unwritten record with it, and refuses new ones: reads then get 503, never hang.
  let broken: Error | undefined;
  const fail = (error: Error) => {
    broken ??= error;
    for (const p of [...(inFlight?.pending ?? []), ...waiting]) p.reject(error);
    inFlight = undefined;
    waiting = [];
    for (const done of idle.splice(0)) done();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the access log writer stopped (exit ${code})`)));

  return {
    record: (entry: AccessLogEntry): Promise<void> =>
      new Promise((resolve, reject) => {
        if (broken) return reject(broken);
        waiting.push({ entry, resolve, reject });
        send();
      }),
    backlog: () => waiting.length + (inFlight?.pending.length ?? 0),
    /** Newest last, paged by id: pass the last id as `after` for the next page. */
    query: async (q: AccessLogQuery) => queryAccessLog(db, q),
    /** Writes everything recorded so far, then stops the writer thread and closes the file. */
    close: async (): Promise<void> => {
      if (inFlight || waiting.length > 0) await new Promise<void>((resolve) => idle.push(resolve));
      if (!broken) {
        worker.ref();
        await new Promise<void>((resolve) => {
          closed = resolve;
          worker.postMessage({ type: 'close' });
        });
        await worker.terminate();
      }
      db.close();
    },
  };
};
