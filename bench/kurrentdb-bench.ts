/**
 * The KurrentDB adapter against a real server, beside the raw client on the same server in the
 * same run. Needs LEDGER_KURRENTDB_URL (e.g. after `docker compose up -d kurrentdb`); without it
 * this bench says so and measures nothing.
 *   LEDGER_KURRENTDB_URL="kurrentdb://localhost:2113?tls=false" npm run bench -- kurrentdb
 *
 * (a) raw client: 32 callers, each appending one event at a time to a stream of its own with the
 *     exact expected revision (appendToStream), the events the adapter would write.
 * (b) the adapter: the same 32 callers, one single-event command each time through append()
 *     (the event and its command marker in one multi-stream append, then the position index).
 *     Target: b/a >= 0.8.
 * (c) readAll: the ledger (a) and (b) wrote, read through the adapter from a fresh position
 *     index, and the same events read with the raw client.
 * (d) API-key checks: verify() with 32 callers, each waiting for a read of the keys stream that
 *     began after it asked (how a revocation through another instance is honoured at once).
 * Each part runs BENCH_MS (default 10 000 ms). Every figure is printed with the load average.
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { FORWARDS, KurrentDBClient, START, streamNameFilter } from '@kurrent/kurrentdb-client';
import { openKeyStream } from '../src/access/kurrentdb/key-stream.ts';
import { GENESIS_HASH } from '../src/integrity/event-hash.ts';
import { connectKurrentDB, engineAddress } from '../src/store/kurrentdb/connection.ts';
import { chainHashes, toEngineEvent } from '../src/store/kurrentdb/event-codec.ts';
import { openKurrentEventStore } from '../src/store/kurrentdb/kurrentdb-event-store.ts';
import { ledgerNames } from '../src/store/kurrentdb/stream-names.ts';
import { makeEvents } from '../test/support/events.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';

const CALLERS = 32;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

interface Figure {
  name: string;
  events: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  load: string;
}

/** `callers` loops calling `once(caller)` until `ms` has passed; latencies of every call. */
const hammer = async (name: string, ms: number, once: (caller: number) => Promise<number>): Promise<Figure> => {
  const latencies: number[] = [];
  let events = 0;
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        events += await once(caller);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { name, events, perSecond: events / seconds, p50Ms: at(0.5), p99Ms: at(0.99), load: load() };
};

const print = (figures: Figure[]) =>
  console.table(
    figures.map((f) => ({
      measurement: f.name,
      events: f.events,
      'per s': Math.round(f.perSecond),
      'p50 ms': f.p50Ms.toFixed(2),
      'p99 ms': f.p99Ms.toFixed(2),
      loadavg: f.load,
    })),
  );

export const run = async (): Promise<void> => {
  const url = process.env['LEDGER_KURRENTDB_URL'];
  if (!url) {
    console.log('kurrentdb bench skipped: set LEDGER_KURRENTDB_URL (after `docker compose up -d kurrentdb`) to measure against a server');
    return;
  }
  const ms = Number(process.env['BENCH_MS'] ?? 10_000);
  const names = ledgerNames(`bench${Date.now().toString(36)}`);
  const address = engineAddress(url);
  const dir = makeTempDir('ledger-kurrentdb-bench-');
  const raw = KurrentDBClient.connectionString(url);
  const store = await openKurrentEventStore({ client: await connectKurrentDB(url), address, names, indexFile: dir.file('writer.db') });
  try {
    // (a) The raw client, the same events (chain-hashed, with the adapter's metadata) to streams of their own.
    const rawRevisions = new Map<number, bigint>();
    const rawStream = (caller: number) => `${names.namespace}-raw:caller-${caller}`;
    const rawAppends = await hammer('(a) raw client appendToStream', ms, async (caller) => {
      const revision = rawRevisions.get(caller);
      const [event] = makeEvents(1);
      const [hash] = chainHashes(`caller-${caller}`, [event!], revision === undefined ? 0n : revision + 1n, GENESIS_HASH);
      const result = await raw.appendToStream(rawStream(caller), toEngineEvent(event!, hash!), { streamState: revision ?? 'no_stream' });
      rawRevisions.set(caller, result.nextExpectedRevision);
      return 1;
    });

    // (b) The adapter: one single-event command per call.
    const revisions = new Map<number, bigint>();
    const adapterAppends = await hammer('(b) adapter append (event + marker, indexed)', ms, async (caller) => {
      const events = makeEvents(1);
      const result = await store.append({
        stream: `plan-caller-${caller}`,
        events,
        expectedRevision: revisions.get(caller) ?? 'noStream',
        commandId: events[0]!.commandId,
      });
      revisions.set(caller, result.nextExpectedRevision);
      return 1;
    });
    print([rawAppends, adapterAppends]);
    console.log(`appends: adapter / raw = ${(adapterAppends.perSecond / rawAppends.perSecond).toFixed(2)} (target >= 0.8)`);

    // (c) Reading the ledger back: through a fresh adapter instance (its index is built on the way), and raw.
    let started = performance.now();
    const reader = await openKurrentEventStore({ client: await connectKurrentDB(url), address, names, indexFile: dir.file('reader.db') });
    let read = 0;
    for await (const _event of reader.readAll()) read++;
    const adapterRead = {
      name: '(c) adapter readAll, index built on the way',
      events: read,
      perSecond: read / ((performance.now() - started) / 1000),
      p50Ms: 0,
      p99Ms: 0,
      load: load(),
    };
    await reader.close();
    started = performance.now();
    let rawRead = 0;
    for await (const _event of raw.readAll({
      fromPosition: START,
      direction: FORWARDS,
      filter: streamNameFilter({ prefixes: [names.prefix] }),
    }))
      rawRead++;
    const rawReadFigure = {
      name: '(c) raw client readAll, same filter',
      events: rawRead,
      perSecond: rawRead / ((performance.now() - started) / 1000),
      p50Ms: 0,
      p99Ms: 0,
      load: load(),
    };
    print([rawReadFigure, adapterRead]);

    // (d) What honouring another instance's revocation on the next request costs.
    const keys = openKeyStream(store.context);
    const { key } = await keys.create({ name: 'bench', role: 'viewer', organisation: 'Bench', createdBy: 'bench' });
    const verified = await hammer('(d) API-key verify, read-through per request', ms, async () => ((await keys.verify(key)) ? 1 : 0));
    print([verified]);
  } finally {
    await store.close();
    await raw.dispose();
    dir.remove();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
