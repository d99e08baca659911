import { FORWARDS, type EventData, type RecordedEvent } from '@kurrent/kurrentdb-client';
import { z } from 'zod';
import type { AccessLog, AccessLogEntry, AccessLogQuery, LoggedAccess } from '../port.ts';
import type { Engine } from '../../store/kurrentdb/engine-client.ts';
import { isStreamNotFound, translateEngineError } from '../../store/kurrentdb/engine-errors.ts';

const TYPE = 'SensitiveReadRecorded';
const PAGE = 500;

const nullable = z.string().nullable();
const Entry = z.object({
  at: z.string(),
  principalId: nullable,
  principalName: nullable,
  role: nullable,
  organisation: nullable,
  method: z.string(),
  route: z.string(),
  path: z.string(),
  planId: nullable,
  status: z.number().int(),
  requestId: z.string(),
  ip: nullable,
});

const toEventData = (entry: AccessLogEntry): EventData => ({
  id: crypto.randomUUID(),
  contentType: 'application/json',
  type: TYPE,
  data: { ...entry },
  metadata: undefined,
});

/** A recorded entry; its id is its revision in the stream plus one, so ids start at 1 and grow across instances. */
export const decodeAccessRecord = (record: RecordedEvent): LoggedAccess => {
  const parsed = record.type === TYPE ? Entry.safeParse(record.data) : undefined;
  if (!parsed?.success) throw new Error(`event ${record.id} in ${record.streamId} is not an access record`);
  return { id: Number(record.revision) + 1, ...parsed.data };
};

const wanted = (q: AccessLogQuery) => (e: LoggedAccess) =>
  (q.principalId === undefined || e.principalId === q.principalId) &&
  (q.planId === undefined || e.planId === q.planId) &&
  (q.route === undefined || e.route === q.route) &&
  (q.status === undefined || e.status === q.status) &&
  (q.from === undefined || e.at >= q.from) &&
  (q.to === undefined || e.at < q.to);

type Pending = { entry: AccessLogEntry; resolve: () => void; reject: (error: unknown) => void };

/**
 * The access log in the engine, in `ledger-meta:access-log`: every instance's records in one
 * durable place, in the order the engine committed them. record() resolves once the engine has
 * acknowledged the append, so the caller holds its response until the read is recorded. One
 * append is in flight at a time and everything recorded meanwhile goes in the next (group
 * commit), so a burst of reads costs a few appends, not one each.
 *
 * A query reads the stream forward from `after`, filtering as it goes: the log is read by
 * auditors now and then, not on every request.
 */
export const openAccessLogStream = ({ client, address, names }: Engine): AccessLog => {
  const stream = names.accessLog;
  let waiting: Pending[] = [];
  let inFlight: Promise<void> | undefined;
  const idle: (() => void)[] = [];

  const flush = (): void => {
    if (inFlight) return;
    if (waiting.length === 0) {
      for (const done of idle.splice(0)) done();
      return;
    }
    const batch = waiting;
    waiting = [];
    inFlight = client
      .multiStreamAppend([{ streamName: stream, events: batch.map((p) => toEventData(p.entry)), expectedState: 'any' }])
      .then(
        () => batch.forEach((p) => p.resolve()),
        (error: unknown) => {
          const translated = translateEngineError(error, address, 'recording a read in the access log');
          batch.forEach((p) => p.reject(translated));
        },
      )
      .finally(() => {
        inFlight = undefined;
        flush();
      });
  };

  return {
    record: (entry) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ entry, resolve, reject });
        flush();
      }),

    async query(q) {
      const matches: LoggedAccess[] = [];
      let from = BigInt(q.after ?? 0);
      try {
        for (;;) {
          let read = 0;
          for await (const resolved of client.readStream(stream, {
            fromRevision: from,
            maxCount: PAGE,
            direction: FORWARDS,
            requiresLeader: true,
          })) {
            read++;
            if (!resolved.event) continue;
            const entry = decodeAccessRecord(resolved.event);
            if (wanted(q)(entry)) matches.push(entry);
            if (matches.length > q.limit) break;
          }
          if (matches.length > q.limit || read < PAGE) break;
          from += BigInt(PAGE);
        }
      } catch (error) {
        if (!isStreamNotFound(error)) throw translateEngineError(error, address, 'a read of the access log');
      }
      const entries = matches.slice(0, q.limit);
      return { entries, next: matches.length > q.limit ? entries.at(-1)!.id : null };
    },

    async close() {
      if (inFlight || waiting.length > 0) await new Promise<void>((resolve) => idle.push(resolve));
    },
  };
};
