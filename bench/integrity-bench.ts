/**
 * Integrity figures on a large ledger.
 *   node --import tsx bench/integrity-bench.ts       (BENCH_EVENTS=20000 for a quick run; default 1,000,000)
 *
 * The ledger is generated once, straight through the store's own append code (so every
 * event carries its real chain hash), and cached in os.tmpdir() keyed by generator version
 * and size. Measured in one run:
 *   - `ledger verify` throughput (everything recomputed from the stored JSON);   target ≥ 100,000 events/s
 *   - inclusion proof latency for random events, p95;                             target ≤ 5 ms
 *   - hashing + chaining cost per event vs. the append cost per event;            target ≤ 15 %
 */
import fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NewEvent } from '../events/envelope.ts';
import { canonicalJson } from '../src/integrity/canonical-json.ts';
import { GENESIS_HASH, hashCanonicalEvent } from '../src/integrity/event-hash.ts';
import { loadSigningKey } from '../src/integrity/signing-key.ts';
import { openConnection } from '../src/store/sqlite/connection.ts';
import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';
import { makeEvent } from '../test/support/events.ts';
import { cachedLedger, openIntegrity, PLANS } from './integrity-ledger.ts';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** Append cost per event: the real store, 32 concurrent single-event appenders, fsync on. */
const measureAppend = async (durationMs: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-integrity-append-'));
  const store = openSqliteEventStore({ file: join(dir, 'ledger.db') });
  const appended: NewEvent[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async (_, n) => {
      for (let i = 0; performance.now() - start < durationMs; i++) {
        const commandId = `append-${n}-${i}`;
        const event = makeEvent({ commandId, correlationId: commandId });
        await store.append({ stream: `plan-${n}`, events: [event], expectedRevision: 'any', commandId });
        appended.push(event);
      }
    }),
  );
  const micros = ((performance.now() - start) * 1000) / appended.length;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { micros, events: appended };
};

/** What the append pays for integrity: canonical JSON, the chain preimage and SHA-256, each event linked to the last. */
const measureHashing = (events: NewEvent[]) => {
  const run = () => {
    const previous = new Map<string, { revision: number; hash: string }>();
    const start = performance.now();
    for (const [i, event] of events.entries()) {
      const stream = `plan-${i % 32}`;
      const head = previous.get(stream);
      const revision = head ? head.revision + 1 : 0;
      const hash = hashCanonicalEvent(canonicalJson(event), { stream, revision, previousHash: head?.hash ?? GENESIS_HASH });
      previous.set(stream, { revision, hash });
    }
    return ((performance.now() - start) * 1000) / events.length;
  };
  run(); // warm-up, as the append path is warm after its first batches
  const full = Math.min(run(), run(), run());
  // What the store paid before the chain existed: JSON.stringify of the body, which canonicalJson replaced.
  const start = performance.now();
  for (const event of events) JSON.stringify(event);
  const stringify = ((performance.now() - start) * 1000) / events.length;
  return { full, net: Math.max(0, full - stringify), stringify };
};

export async function run(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
  const { dir, file, generatedSeconds } = await cachedLedger(events);
  const key = loadSigningKey({ dataDir: dir, generate: false }).key;
  const ledger = await openIntegrity(dir, key);
  // The tree index is built lazily; in a live ledger it keeps up as checkpoints are signed.
  const ids = await ledger.tree.catchUp();

  const verifyStart = performance.now();
  const cpuStart = process.cpuUsage();
  const report = await ledger.verify();
  const verifySeconds = (performance.now() - verifyStart) / 1000;
  // CPU seconds this process spent: on a shared machine, the rate one free core would give.
  const cpu = process.cpuUsage(cpuStart);
  const verifyCpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (!report.ok) throw new Error(`the bench ledger does not verify: ${JSON.stringify(report.failure)}`);

  const sample = openConnection(file, 5000).prepare<[number], { event_id: string }>('SELECT event_id FROM events WHERE position = ?');
  const latencies: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const { event_id } = sample.get(Math.floor(Math.random() * ids))!;
    const began = performance.now();
    await ledger.inclusionProof(event_id);
    latencies.push(performance.now() - began);
  }
  latencies.sort((a, b) => a - b);
  await ledger.close();

  const append = await measureAppend(Number(process.env.BENCH_MS ?? 3000));
  const hashing = measureHashing(append.events);

  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(46) : c.padStart(16))).join(' ');
  console.log(
    [
      `integrity bench: ${events.toLocaleString('en-GB')} events in ${PLANS} plans${generatedSeconds ? ` (generated in ${generatedSeconds.toFixed(0)} s)` : ' (cached)'}, file ${(fs.statSync(file).size / 1e6).toFixed(0)} MB`,
      row(['measurement', 'value', 'target']),
      row(['ledger verify, events/s', (report.eventsChecked / verifySeconds).toFixed(0), '>= 100000']),
      row(['  per CPU second of this process', (report.eventsChecked / verifyCpuSeconds).toFixed(0), '']),
      row([
        '  (events, checkpoints checked; seconds)',
        `${report.eventsChecked}, ${report.checkpointsChecked}; ${verifySeconds.toFixed(1)}`,
        '',
      ]),
      row(['  machine load average (1 min) / cores', `${loadavg()[0]!.toFixed(1)} / ${cpus().length}`, '']),
      row([
        'inclusion proof p50 / p95 / p99, ms',
        `${percentile(latencies, 0.5).toFixed(3)} / ${percentile(latencies, 0.95).toFixed(3)} / ${percentile(latencies, 0.99).toFixed(3)}`,
        'p95 <= 5',
      ]),
      row(['append cost per event (32 callers, fsync), µs', append.micros.toFixed(1), '']),
      row(['hashing + chaining per event, µs', hashing.full.toFixed(1), '']),
      row(['  as a share of the append cost', `${((hashing.full / append.micros) * 100).toFixed(1)} %`, '<= 15 %']),
      row(['  net of the JSON.stringify it replaced', `${((hashing.net / append.micros) * 100).toFixed(1)} %`, '']),
    ].join('\n'),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
