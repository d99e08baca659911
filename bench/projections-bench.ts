/**
 * Projections bench: rebuild speed and memory, GET /plans/:planId under 32 connections,
 * and an as-of plan view folded from a 10,000-event plan.
 *   node --import tsx bench/projections-bench.ts            (1,000,000 events, 2,000 plans)
 *   BENCH_EVENTS=100000 BENCH_PLANS=200 node --import tsx bench/projections-bench.ts
 * The generated ledger is cached in the OS temp dir, keyed by generator version and size.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';
import { GENERATOR_VERSION, generatePlanLedger } from '../test/support/plan-ledger-generator.ts';

const ledgerBin = fileURLToPath(new URL('../bin/ledger.js', import.meta.url));
const LONG_PLAN = 'plan-00000';

const settings = () => ({
  events: Number(process.env.BENCH_EVENTS ?? 1_000_000),
  plans: Number(process.env.BENCH_PLANS ?? 2_000),
  longPlanEvents: Number(process.env.BENCH_LONG_PLAN_EVENTS ?? 10_000),
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
});

/** The cached ledger for these settings, generated on first use. */
const ledgerDir = async ({ events, plans, longPlanEvents }: ReturnType<typeof settings>) => {
  const dir = path.join(os.tmpdir(), 'assurance-ledger-bench', `g${GENERATOR_VERSION}-${events}-${plans}-${longPlanEvents}`);
  const file = path.join(dir, 'ledger.db');
  if (fs.existsSync(path.join(dir, 'complete'))) return { dir, generatedSeconds: null };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const store = openSqliteEventStore({ file });
  await generatePlanLedger(store, { events, plans, longPlanEvents, perAppend: 500 });
  await store.close();
  fs.writeFileSync(path.join(dir, 'complete'), new Date().toISOString());
  return { dir, generatedSeconds: (performance.now() - started) / 1000 };
};

/** Baseline: the ledger read through the store port alone, with no projection work. */
export const rawRead = async (dir: string) => {
  const store = openSqliteEventStore({ file: path.join(dir, 'ledger.db'), pageSize: 5000 });
  const started = performance.now();
  let n = 0;
  for await (const _event of store.readAll()) n++;
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return { events: n, perSecond: n / seconds };
};

/** The real CLI in its own process, so its peak memory is the rebuild's alone. */
export const rebuild = async (dir: string) => {
  const { stdout } = await promisify(execFile)(process.execPath, [ledgerBin, 'rebuild', '--no-progress'], {
    env: { ...process.env, LEDGER_DATA_DIR: dir },
    maxBuffer: 1 << 20,
  });
  const m = /Rebuilt .*: (\d+) events in ([\d.]+) s \((\d+) events\/s\), peak memory (\d+) MiB/.exec(stdout);
  if (!m) throw new Error(`unexpected rebuild output: ${stdout}`);
  return { events: Number(m[1]), seconds: Number(m[2]), perSecond: Number(m[3]), peakMiB: Number(m[4]) };
};

/** A port nothing listens on, for the server child (it logs only warnings, so the bench reads no log lines). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

/** A viewer key made with the real `ledger keys create`: every read needs credentials. */
export const viewerKey = (dir: string) => benchKey(dir, 'viewer');

/** An API key with a role, made by `ledger keys create` in the data dir, as an Authorization header. */
export const benchKey = async (dir: string, role: 'viewer' | 'auditor') => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [ledgerBin, 'keys', 'create', '--name', `projections bench (${role})`, '--role', role, '--organisation', 'Bench'],
    {
      env: { ...process.env, LEDGER_DATA_DIR: dir },
    },
  );
  const key = /al_[A-Za-z0-9_-]+/.exec(stdout)?.[0];
  if (!key) throw new Error(`ledger keys create printed no key: ${stdout}`);
  return `Bearer ${key}`;
};

/** `ledger serve` in a child process, with `env` added to the bench's environment; resolves once it answers /ready. */
export const serve = async (dir: string, env: Record<string, string> = {}) => {
  const port = await freePort();
  const proc = spawn(process.execPath, [ledgerBin, 'serve', '--port', String(port)], {
    // One bench principal sends far more than a person would: lift its rate limit. Demo data would only add plans.
    env: {
      ...process.env,
      LEDGER_DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      NODE_NO_WARNINGS: '1',
      LEDGER_RATE_LIMIT_MAX: '100000000',
      LEDGER_DEMO_DATA: 'false',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, stop: () => proc.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error('server did not become ready');
};

const load = async (url: string, seconds: number, authorization?: string) => {
  const result = await autocannon({ url, connections: 32, duration: seconds, ...(authorization ? { headers: { authorization } } : {}) });
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
};

/** The instants the long plan's events were recorded at, read straight from the ledger. */
const recordedInstants = async (dir: string) => {
  const store = openSqliteEventStore({ file: path.join(dir, 'ledger.db'), pageSize: 5000 });
  const instants: string[] = [];
  for await (const event of store.readStream(`plan-${LONG_PLAN}`)) instants.push(event.recordedAt);
  await store.close();
  return instants;
};

/** As-of views at instants spread over the plan's whole history, so most land between snapshots. */
const asOfView = async (url: string, instants: string[], authorization: string, samples = 60) => {
  const times: number[] = [];
  let actions = 0;
  for (let i = 0; i < samples + 5; i++) {
    const asOf = instants[Math.floor((((i * 7919) % samples) / samples) * instants.length)]!;
    const started = performance.now();
    const res = await fetch(`${url}/plans/${LONG_PLAN}?asOf=${asOf}`, { headers: { authorization } });
    const body = (await res.json()) as { actions: unknown[] };
    if (!res.ok) throw new Error(`as-of read failed: ${res.status}`);
    if (i >= 5) times.push(performance.now() - started); // the first few warm the JIT
    actions = Math.max(actions, body.actions.length);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.ceil(times.length * 0.95) - 1]!, actions, samples };
};

export async function run(): Promise<void> {
  const s = settings();
  const { dir, generatedSeconds } = await ledgerDir(s);
  console.log(
    `ledger: ${s.events} events across ${s.plans} plans (one of ${s.longPlanEvents}) at ${dir}${generatedSeconds ? `, generated in ${generatedSeconds.toFixed(0)} s` : ' (cached)'}`,
  );
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  const raw = await rawRead(dir);
  const built = await rebuild(dir);
  const authorization = await viewerKey(dir);
  const server = await serve(dir);
  try {
    const health = await load(`${server.url}/health`, s.seconds);
    const plan = await load(`${server.url}/plans/plan-00001`, s.seconds, authorization);
    const asOf = await asOfView(server.url, await recordedInstants(dir), authorization);
    console.table([
      { measure: 'read ledger through the store (baseline)', figure: `${Math.round(raw.perSecond)} events/s`, target: '', ratio: '1.00' },
      {
        measure: 'rebuild all projections',
        figure: `${built.perSecond} events/s (${built.seconds} s)`,
        target: '>= 100000 events/s',
        ratio: (built.perSecond / raw.perSecond).toFixed(2),
      },
      { measure: 'rebuild peak memory (maxRSS)', figure: `${built.peakMiB} MiB`, target: '< 1024 MiB', ratio: '' },
      {
        measure: 'GET /health, 32 connections (baseline)',
        figure: `${Math.round(health.perSecond)} req/s, p50 ${health.p50} ms, p99 ${health.p99} ms`,
        target: '',
        ratio: '1.00',
      },
      {
        measure: 'GET /plans/:planId, 32 connections',
        figure: `${Math.round(plan.perSecond)} req/s, p50 ${plan.p50} ms, p99 ${plan.p99} ms${plan.non2xx ? `, ${plan.non2xx} failed` : ''}`,
        target: '>= 3000 req/s',
        ratio: (plan.perSecond / health.perSecond).toFixed(2),
      },
      {
        measure: `as-of plan view, ${s.longPlanEvents}-event plan`,
        figure: `p50 ${asOf.p50.toFixed(1)} ms, p95 ${asOf.p95.toFixed(1)} ms (${asOf.samples} instants over its history, up to ${asOf.actions} actions)`,
        target: 'p95 <= 50 ms',
        ratio: '',
      },
    ]);
  } finally {
    server.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
