import type { Db } from '../store/sqlite/connection.ts';

export interface AccessLogEntry {
  at: string;
  principalId: string | null;
  principalName: string | null;
  role: string | null;
  organisation: string | null;
  method: string;
  /** The route pattern, e.g. /plans/:planId/events, so reads of one kind can be found together. */
  route: string;
  path: string;
  planId: string | null;
  status: number;
  requestId: string;
  ip: string | null;
}

export type LoggedAccess = AccessLogEntry & { id: number };

export interface AccessLogQuery {
  after?: number | undefined;
  limit: number;
  principalId?: string | undefined;
  planId?: string | undefined;
  route?: string | undefined;
  status?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const columns = 'at, principal_id, principal_name, role, organisation, method, route, path, plan_id, status, request_id, ip';
type Row = { id: number; at: string; principal_id: string | null; principal_name: string | null; role: string | null; organisation: string | null; method: string; route: string; path: string; plan_id: string | null; status: number; request_id: string; ip: string | null };
const toEntry = (r: Row): LoggedAccess => ({
  id: r.id, at: r.at, principalId: r.principal_id, principalName: r.principal_name, role: r.role, organisation: r.organisation,
  method: r.method, route: r.route, path: r.path, planId: r.plan_id, status: r.status, requestId: r.request_id, ip: r.ip,
});

/**
 * The durable log of reads of sensitive detail. Records that arrive in the same turn
 * of the event loop share one transaction (one fsync), like the ledger's group commit;
 * record() resolves only after COMMIT, so the caller can hold the response until the
 * read is on disk.
 */
export const createAccessLog = (db: Db) => {
  const insert = db.prepare(`INSERT INTO access_log (${columns}) VALUES (${columns.split(', ').map((c) => '@' + c).join(', ')})`);
  const writeBatch = db.transaction((entries: AccessLogEntry[]) => {
    for (const e of entries)
      insert.run({ at: e.at, principal_id: e.principalId, principal_name: e.principalName, role: e.role, organisation: e.organisation, method: e.method, route: e.route, path: e.path, plan_id: e.planId, status: e.status, request_id: e.requestId, ip: e.ip });
  });
  let queue: { entry: AccessLogEntry; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    try {
      writeBatch(batch.map((p) => p.entry));
      for (const p of batch) p.resolve();
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };

  return {
    /** Writes whatever is queued now: called before the file is closed so no acknowledged-pending record is lost. */
    flushNow: () => {
      if (queue.length > 0) flush();
    },
    record: (entry: AccessLogEntry): Promise<void> =>
      new Promise((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      }),
    /** Newest last, paged by id: pass the last id as `after` for the next page. */
    query(q: AccessLogQuery): { entries: LoggedAccess[]; next: number | null } {
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
      const rows = db.prepare<Record<string, unknown>, Row>(`SELECT id, ${columns} FROM access_log WHERE ${where.join(' AND ')} ORDER BY id LIMIT @limit`).all(params);
      const more = rows.length > q.limit;
      const entries = rows.slice(0, q.limit).map(toEntry);
      return { entries, next: more ? entries.at(-1)!.id : null };
    },
  };
};
export type AccessLog = ReturnType<typeof createAccessLog>;
