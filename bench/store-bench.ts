/**
 * Store throughput against the disk's fsync ceiling.
 *   node --import tsx bench/store-bench.ts        (BENCH_DIR=/path picks the disk, BENCH_MS the duration)
 *
 * (a) raw better-sqlite3, WAL + synchronous=FULL, one insert per transaction: every event
 *     pays a full fsync, so this is the most a one-commit-per-append store could do.
 * (b) the store, one event per append, from concurrent callers: group commit shares each
 *     fsync between the appends waiting for it. Target: b/a >= 3. Measured twice, because
 *     command ids decide how many pages of the commands table a transaction writes:
 *     ids each caller chooses (scattered over the key space: every append lands on its own
 *     page), and time-ordered uuid v7 ids, which the server generates for every write sent
 *     without an Idempotency-Key (all land on the last page).
 */
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';
import { makeEvents } from '../test/support/events.ts';

export interface Measurement {
  name: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  transactions: number;
  p50Ms: number;
  p99Ms: number;
}

export interface StoreBenchResult {
  raw: Measurement;
  /** Command ids chosen by each caller (`bench-<caller>-<n>`). */
  store: Measurement;
  ratio: number;
  /** Time-ordered command ids (uuid v7), as the server generates them. */
  storeOrderedIds: Measurement;
  ratioOrderedIds: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const measurement = (name: string, latencies: number[], seconds: number, transactions: number): Measurement => {
  const sorted = latencies.sort((x, y) => x - y);
  return {
    name,
    events: sorted.length,
    seconds,
    eventsPerSecond: sorted.length / seconds,
    transactions,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
};

/** (a) The fsync ceiling: autocommit inserts of the same rows the store writes. */
const measureRaw = (file: string, durationMs: number): Measurement => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL,
    event_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, UNIQUE (stream, revision)) STRICT`);
  const insert = db.prepare('INSERT INTO events (position, stream, revision, event_id, body) VALUES (?, ?, ?, ?, ?)');
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; performance.now() - start < durationMs; i++) {
    const began = performance.now();
    const [event] = makeEvents(1);
    insert.run(i, `stream-${i % 32}`, Math.floor(i / 32), event!.eventId, JSON.stringify(event));
    latencies.push(performance.now() - began);
  }
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return measurement('(a) raw insert, 1 txn each', latencies, seconds, latencies.length);
};

/** (b) The store under `callers` concurrent single-event appenders, each on its own stream. */
const measureStore = async (file: string, durationMs: number, callers: number, ids: 'per-caller' | 'uuid-v7'): Promise<Measurement> => {
  const store = openSqliteEventStore({ file });
  const latencies: number[] = [];
  const start = performance.now();
  const caller = async (n: number) => {
    let expectedRevision: bigint | 'noStream' = 'noStream';
    for (let i = 0; performance.now() - start < durationMs; i++) {
      const began = performance.now();
      const commandId = ids === 'uuid-v7' ? uuidv7() : `bench-${n}-${i}`;
      const result = await store.append({ stream: `stream-${n}`, events: makeEvents(1, commandId), expectedRevision, commandId });
      expectedRevision = result.nextExpectedRevision;
      latencies.push(performance.now() - began);
    }
  };
  await Promise.all(Array.from({ length: callers }, (_, n) => caller(n)));
  const seconds = (performance.now() - start) / 1000;
  const { transactions } = store.stats();
  await store.close();
  return measurement(
    ids === 'uuid-v7' ? `(b) same, uuid v7 command ids` : `(b) store.append, ${callers} callers`,
    latencies,
    seconds,
    transactions,
  );
};

export const runStoreBench = async (options: { durationMs?: number; callers?: number; dir?: string } = {}): Promise<StoreBenchResult> => {
  const durationMs = options.durationMs ?? 3000;
  const dir = mkdtempSync(join(options.dir ?? tmpdir(), 'ledger-bench-'));
  try {
    const raw = measureRaw(join(dir, 'raw.db'), durationMs);
    const store = await measureStore(join(dir, 'store.db'), durationMs, options.callers ?? 32, 'per-caller');
    const storeOrderedIds = await measureStore(join(dir, 'store-uuid.db'), durationMs, options.callers ?? 32, 'uuid-v7');
    return {
      raw,
      store,
      ratio: store.eventsPerSecond / raw.eventsPerSecond,
      storeOrderedIds,
      ratioOrderedIds: storeOrderedIds.eventsPerSecond / raw.eventsPerSecond,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export const formatStoreBench = ({ raw, store, ratio, storeOrderedIds, ratioOrderedIds }: StoreBenchResult): string => {
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(32) : c.padStart(10))).join(' ');
  const line = (m: Measurement) =>
    row([
      m.name,
      String(m.events),
      m.seconds.toFixed(2),
      m.eventsPerSecond.toFixed(0),
      String(m.transactions),
      (m.events / m.transactions).toFixed(1),
      m.p50Ms.toFixed(2),
      m.p99Ms.toFixed(2),
    ]);
  return [
    row(['measurement', 'events', 'seconds', 'events/s', 'txns', 'events/txn', 'p50 ms', 'p99 ms']),
    line(raw),
    line(store),
    line(storeOrderedIds),
    `ratio b/a: ${ratio.toFixed(1)}x with command ids chosen per caller, ${ratioOrderedIds.toFixed(1)}x with uuid v7 command ids (target >= 3)`,
  ].join('\n');
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runStoreBench({
    durationMs: process.env.BENCH_MS ? Number(process.env.BENCH_MS) : undefined,
    dir: process.env.BENCH_DIR,
  });
  console.log(formatStoreBench(result));
}

/** The common entry point `npm run bench` calls. */
export async function run(): Promise<void> {
  console.log('\nStore appends against the fsync ceiling (issue: group commit)');
  console.log(formatStoreBench(await runStoreBench({ durationMs: process.env.BENCH_MS ? Number(process.env.BENCH_MS) : undefined })));
}
