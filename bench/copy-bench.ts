/**
 * `ledger copy` from SQLite to SQLite on the bench ledger (bench/integrity-ledger.ts: by
 * default 1,000,000 single-event commands over 1,000 plans, two signed checkpoints).
 *   node --import tsx bench/copy-bench.ts      (BENCH_EVENTS=100000 for a quicker run)
 *
 * The copy runs in this process exactly as the CLI opens it (openBackend on both data dirs,
 * the target with appendDurability 'at-close'), phase by phase, with wall and CPU seconds.
 * Beside it, in the same run, a bare copy of the first BENCH_BASELINE_EVENTS events (default
 * 100,000) through the same ports with none of the copy's checks (read, append with the
 * recorded revision and fingerprint, nothing compared): the ratio is what the checks cost.
 *
 * With LEDGER_KURRENTDB_URL set, also SQLite to KurrentDB and back for a bench ledger of
 * BENCH_KURRENTDB_EVENTS (default 20,000), each into a fresh ledger namespace on that server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { KeyObject } from 'node:crypto';
import { asAppended, type StoredEvent } from '../events/envelope.ts';
import type { Backend } from '../src/backend/backend.ts';
import { openBackend } from '../src/backend/open-backend.ts';
import type { CopyPhase } from '../src/copy/copy-end.ts';
import { copyLedger } from '../src/copy/copy-ledger.ts';
import { loadSigningKey } from '../src/integrity/signing-key.ts';
import { cachedLedger } from './integrity-ledger.ts';

const openTarget = (dataDir: string) =>
  openBackend({ store: { kind: 'sqlite' }, dataDir }, { appendDurability: 'at-close', readPageSize: 5000 });
const openSource = (dataDir: string) => openBackend({ store: { kind: 'sqlite' }, dataDir }, { create: false, readPageSize: 5000 });

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** The copy, with wall and CPU seconds for each phase (a phase ends when the next one reports). */
export const measureCopy = async (source: Backend, target: Backend, key: KeyObject) => {
  const phases: { phase: CopyPhase | 'closing'; wall: number; cpu: number }[] = [];
  const begin = (phase: CopyPhase | 'closing') => {
    if (phases.at(-1)?.phase !== phase) phases.push({ phase, wall: performance.now(), cpu: cpuSeconds() });
  };
  const started = { wall: performance.now(), cpu: cpuSeconds() };
  const report = await copyLedger({ source, target, publicKey: key, onProgress: ({ phase }) => begin(phase) });
  begin('closing');
  await target.close();
  await source.close();
  const end = { wall: performance.now(), cpu: cpuSeconds() };
  const spans = phases.map((p, i) => {
    const next = phases[i + 1] ?? end;
    return { phase: p.phase, seconds: (next.wall - p.wall) / 1000, cpu: next.cpu - p.cpu };
  });
  return { report, spans, seconds: (end.wall - started.wall) / 1000, cpu: end.cpu - started.cpu };
};

/** The least a copy through the ports can cost: the same appends, nothing checked or compared. */
const measureBareCopy = async (sourceDir: string, targetDir: string, events: number) => {
  const source = await openSource(sourceDir);
  const target = await openTarget(targetDir);
  const started = { wall: performance.now(), cpu: cpuSeconds() };
  let group: StoredEvent[] = [];
  const flush = async () => {
    const first = group[0]!;
    const result = (await source.events.findCommand(first.commandId))!;
    await target.events.append({
      stream: first.stream,
      events: group.map(asAppended),
      expectedRevision: first.revision === 0n ? 'noStream' : first.revision - 1n,
      commandId: first.commandId,
      requestFingerprint: result.requestFingerprint,
    });
    group = [];
  };
  for await (const event of source.events.readAll({ limit: events })) {
    if (group.length > 0 && group[0]!.commandId !== event.commandId) await flush();
    group.push(event);
  }
  if (group.length > 0) await flush();
  await target.close();
  await source.close();
  return { seconds: (performance.now() - started.wall) / 1000, cpu: cpuSeconds() - started.cpu };
};

/** SQLite to KurrentDB and back, on the server LEDGER_KURRENTDB_URL names; without it, one line saying so. */
const measureKurrentDB = async (work: string) => {
  const url = process.env['LEDGER_KURRENTDB_URL'];
  if (!url) {
    console.log('ledger copy to and from KurrentDB: not measured; set LEDGER_KURRENTDB_URL (after `docker compose up -d kurrentdb`)');
    return;
  }
  const events = Number(process.env.BENCH_KURRENTDB_EVENTS ?? 20_000);
  const { dir: sqliteDir } = await cachedLedger(events);
  const key = loadSigningKey({ dataDir: sqliteDir, generate: false }).key.publicKey;
  const onServer = `${url}${url.includes('?') ? '&' : '?'}ledgerNamespace=copybench${Date.now().toString(36)}`;
  const openServer = (dataDir: string) => openBackend({ store: { kind: 'kurrentdb', connectionString: onServer }, dataDir });
  const load = loadavg()[0]!.toFixed(1);
  const there = await measureCopy(await openSource(sqliteDir), await openServer(join(work, 'instance-a')), key);
  const back = await measureCopy(await openServer(join(work, 'instance-b')), await openTarget(join(work, 'back')), key);
  for (const [name, copy] of [
    ['SQLite to KurrentDB', there],
    ['KurrentDB to SQLite', back],
  ] as const) {
    const copying = copy.spans.find((s) => s.phase === 'copying')!;
    console.log(
      `ledger copy ${name}, ${events.toLocaleString('en-GB')} events: copying ${Math.round(events / copying.seconds)} events/s, ` +
        `whole copy ${Math.round(events / copy.seconds)} events/s (${copy.seconds.toFixed(1)} s; load average ${load} at the start)`,
    );
  }
};

export async function run(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
  const baselineEvents = Math.min(events, Number(process.env.BENCH_BASELINE_EVENTS ?? 100_000));
  const { dir: sourceDir, generatedSeconds } = await cachedLedger(events);
  const work = mkdtempSync(join(tmpdir(), 'ledger-copy-bench-'));
  try {
    const load = loadavg()[0]!;
    const bare = await measureBareCopy(sourceDir, join(work, 'bare'), baselineEvents);
    const key = loadSigningKey({ dataDir: sourceDir, generate: false }).key.publicKey;
    const copy = await measureCopy(await openSource(sourceDir), await openTarget(join(work, 'copy')), key);
    const copying = copy.spans.find((s) => s.phase === 'copying')!;
    const perSecond = (n: number, s: number) => Math.round(n / s).toString();
    const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(48) : c.padStart(14))).join(' ');
    console.log(
      [
        `copy bench: ${events.toLocaleString('en-GB')} events, SQLite to SQLite${generatedSeconds ? ` (source generated in ${generatedSeconds.toFixed(0)} s)` : ' (cached source)'}`,
        `  machine load average (1 min) at the start / at the end, cores: ${load.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}, ${cpus().length}`,
        row(['phase', 'wall s', 'CPU s', 'events/s', 'per CPU s']),
        ...copy.spans.map((s) =>
          row([s.phase, s.seconds.toFixed(1), s.cpu.toFixed(1), perSecond(events, s.seconds), perSecond(events, s.cpu)]),
        ),
        row([
          'ledger copy, whole',
          copy.seconds.toFixed(1),
          copy.cpu.toFixed(1),
          perSecond(events, copy.seconds),
          perSecond(events, copy.cpu),
        ]),
        row([
          `bare copy of the first ${baselineEvents.toLocaleString('en-GB')} (baseline)`,
          bare.seconds.toFixed(1),
          bare.cpu.toFixed(1),
          perSecond(baselineEvents, bare.seconds),
          perSecond(baselineEvents, bare.cpu),
        ]),
        row(['copying phase / baseline, events per CPU s', '', '', '', (events / copying.cpu / (baselineEvents / bare.cpu)).toFixed(2)]),
        `  verified: ${copy.report.verification?.events} events, ${copy.report.verification?.checkpoints} checkpoints, root ${copy.report.verification?.rootHash}`,
      ].join('\n'),
    );
    await measureKurrentDB(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
