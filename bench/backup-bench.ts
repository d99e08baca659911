/**
 * Backup and restore figures on the large bench ledger.
 *   npm run bench -- backup            (BENCH_EVENTS=20000 for a quick run; default 1,000,000)
 *
 * The ledger is the integrity bench's cached one (generated once through the store's own append
 * code). Measured in one run, on a copy of it in a fresh data directory:
 *   - `cp` of the data directory's files, the baseline;
 *   - `ledger backup` (a child process, as an operator runs it): MB/s of the whole command
 *     (copy, verify of the copy, hashes, manifest) and of its copy phase, each beside cp's;
 *   - append latency of 16 writers, p50/p99, for a window without a backup and while the
 *     backup runs (target: p99 during ≤ 1.5× without);
 *   - `ledger restore` of that backup: total time, and the read-model rebuild within it.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';
import { makeEvent } from '../test/support/events.ts';
import { cachedLedger } from './integrity-ledger.ts';

const WRITERS = 16;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const load = () => loadavg()[0]!.toFixed(1);
const mb = (bytes: number) => bytes / 1e6;

/** 16 writers appending one event at a time until stop(); latencies in ms. */
const startWriters = (file: string) => {
  const store = openSqliteEventStore({ file });
  let window: number[] = [];
  let stopped = false;
  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    for (let i = 0; !stopped; i++) {
      const commandId = `backup-bench-${process.pid}-${w}-${i}-${Date.now()}`;
      const started = performance.now();
      await store.append({
        stream: `plan-bench-writer-${w}`,
        events: [makeEvent({ commandId, correlationId: commandId })],
        expectedRevision: 'any',
        commandId,
      });
      window.push(performance.now() - started);
    }
  });
  return {
    /** The latencies since the last call, and starts a new window. */
    take: () => {
      const taken = window.sort((a, b) => a - b);
      window = [];
      return taken;
    },
    stop: async () => {
      stopped = true;
      await Promise.all(writers);
      await store.close();
    },
  };
};

const ledgerCommand = (args: string[]) =>
  new Promise<{ code: number | null; output: string; seconds: number }>((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/ledger.js', ...args], { env: { ...process.env, LOG_LEVEL: 'warn' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output, seconds: (performance.now() - started) / 1000 }));
  });

export async function run(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
  const { dir: cached } = await cachedLedger(events);
  const work = fs.mkdtempSync(path.join(tmpdir(), 'ledger-backup-bench-'));
  try {
    const data = path.join(work, 'data');
    fs.mkdirSync(data);
    for (const name of ['ledger.db', 'ledger-checkpoint.json', 'ledger-signing-key.pem'])
      fs.copyFileSync(path.join(cached, name), path.join(data, name));
    const files = fs.readdirSync(data).map((name) => path.join(data, name));
    const bytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);

    // The baseline: cp of the same files, warm cache as the backup will have it.
    const cpTarget = path.join(work, 'cp');
    fs.mkdirSync(cpTarget);
    const cpStarted = performance.now();
    const cp = spawnSync('cp', [...files, cpTarget]);
    const cpSeconds = (performance.now() - cpStarted) / 1000;
    if (cp.status !== 0) throw new Error(`cp failed: ${cp.stderr}`);
    const cpLoad = load();
    fs.rmSync(cpTarget, { recursive: true });

    const writers = startWriters(path.join(data, 'ledger.db'));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    writers.take();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const without = writers.take();
    const withoutLoad = load();
    const backedUpBytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
    const backup = await ledgerCommand(['backup', '-d', data, '--to', path.join(work, 'backups')]);
    const during = writers.take();
    const duringLoad = load();
    await writers.stop();
    if (backup.code !== 0) throw new Error(`ledger backup failed (${backup.code}): ${backup.output}`);
    const copied = /copied the ledger \(ledger\.db\): ([\d.]+) MiB in ([\d.]+) s/.exec(backup.output);
    const backupDir = /backup written to (\S+):/.exec(backup.output)![1]!;

    const restore = await ledgerCommand(['restore', '--from', backupDir, '--data-dir', path.join(work, 'restored')]);
    if (restore.code !== 0) throw new Error(`ledger restore failed (${restore.code}): ${restore.output}`);
    const rebuild = /rebuilt the read models from (\d+) events in ([\d.]+) s/.exec(restore.output);
    const restoreLoad = load();

    const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(52) : c.padStart(22))).join(' ');
    const p = (sorted: number[]) => `${percentile(sorted, 0.5).toFixed(1)} / ${percentile(sorted, 0.99).toFixed(1)} (${sorted.length})`;
    const ratio = percentile(during, 0.99) / percentile(without, 0.99);
    console.log(
      [
        `backup bench: ${events.toLocaleString('en-GB')} events, data files ${mb(bytes).toFixed(0)} MB (${mb(backedUpBytes).toFixed(0)} MB when the backup began); ${cpus().length} cores`,
        row(['measurement', 'value', 'load avg (1 min)']),
        row(['cp of the data files, MB/s', `${(mb(bytes) / cpSeconds).toFixed(0)} (${cpSeconds.toFixed(1)} s)`, cpLoad]),
        row([
          'ledger backup, whole command, MB/s',
          `${(mb(backedUpBytes) / backup.seconds).toFixed(0)} (${backup.seconds.toFixed(1)} s)`,
          duringLoad,
        ]),
        row(['  as a ratio to cp (time)', `${(backup.seconds / cpSeconds).toFixed(1)}x`, '']),
        ...(copied
          ? [
              row([
                '  its copy of ledger.db (VACUUM INTO), MB/s',
                `${((Number(copied[1]) * 1.048576) / Number(copied[2])).toFixed(0)} (${copied[2]} s)`,
                '',
              ]),
            ]
          : []),
        row([`append latency, ${WRITERS} writers, without a backup, p50 / p99 ms (n)`, p(without), withoutLoad]),
        row(['  during the backup, p50 / p99 ms (n)', p(during), duringLoad]),
        row(['  p99 during / without (target <= 1.5)', ratio.toFixed(2), '']),
        row(['ledger restore, total s (check, copy, rebuild, verify)', restore.seconds.toFixed(1), restoreLoad]),
        ...(rebuild ? [row(['  of which the read-model rebuild, s', rebuild[2]!, ''])] : []),
      ].join('\n'),
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
