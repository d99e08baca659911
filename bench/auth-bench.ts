/**
 * What authentication costs: GET /plans/:planId (or, where that route is not registered,
 * GET /plans/:planId/events) at 32 connections, served by an app this benchmark builds
 * without authentication (the baseline: the same access control, with every request taken
 * to be the bench reader) and by the product's app, called with an API key and with an
 * OpenID Connect token, all in the same run over the same SQLite ledger. Both routes are
 * audited reads, so both sides write the access log; the bare app (no access control at
 * all) is measured too, to show what headers, rate limits and the read audit cost.
 *
 *   node --import tsx bench/auth-bench.ts
 *   (BENCH_SECONDS=3 BENCH_ROUNDS=6 BENCH_ROUTE=/plans/:planId/events to change;
 *    BENCH_PROFILE=/tmp/prof to write the server's CPU profiles)
 *
 * The server runs in its own process (bench/auth-bench-server.ts). Two figures per
 * variant: latency as autocannon sees it, and the server process's CPU time per request
 * (from /proc, all its threads, the access log's writer included). On a shared machine
 * latency drifts with other load far more than authentication costs; CPU per request
 * moves much less. Many short rounds, alternating order, and the median of each round's
 * ratio to that round's baseline.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { makeTempDir } from '../test/support/temp-dir.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CONNECTIONS = 32;
/** BENCH_PROFILE=<dir> writes the server's CPU profiles (main thread and access-log writer) there, to see where the time goes. */
const profileArgs = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
/** Linux reports process CPU time in clock ticks of 1/100 s. */
const TICK_MS = 10;

type Ready = {
  pattern: string;
  role: string;
  auditRead: boolean;
  bare: string;
  baseline: string;
  secured: string;
  key: string;
  token: string;
};
type Result = { mean: number; p99: number; rps: number; cpuUs: number; errors: number };

const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
};

const measure = async (pid: number, url: string, authorization?: string, seconds = SECONDS): Promise<Result> => {
  const before = cpuMs(pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: authorization ? { authorization } : {} });
  const cpu = cpuMs(pid) - before;
  return {
    mean: r.latency.mean,
    p99: r.latency.p99,
    rps: r.requests.average,
    cpuUs: (cpu * 1000) / Math.max(1, r.requests.total),
    errors: r.non2xx + r.errors + r.timeouts,
  };
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

export async function run(): Promise<void> {
  const dir = makeTempDir('ledger-auth-bench-');
  const server = spawn(
    process.execPath,
    [
      ...profileArgs,
      '--import',
      'tsx',
      fileURLToPath(new URL('./auth-bench-server.ts', import.meta.url)),
      dir.path,
      process.env.BENCH_ROUTE ?? '',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Ready));
      server.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    });
    const pid = server.pid!;
    const variants = [
      { label: 'no authentication (baseline)', url: ready.baseline, authorization: undefined },
      { label: 'no access control at all (bare app)', url: ready.bare, authorization: undefined },
      { label: 'API key', url: ready.secured, authorization: `Bearer ${ready.key}` },
      { label: 'OIDC JWT (RS256)', url: ready.secured, authorization: `Bearer ${ready.token}` },
    ];
    for (const v of variants) await measure(pid, v.url, v.authorization, 2);

    const results = new Map<string, Result[]>(variants.map((v) => [v.label, []]));
    // Odd rounds run the variants in reverse, so no variant always follows the same one.
    for (let round = 0; round < ROUNDS; round++)
      for (const v of round % 2 ? [...variants].reverse() : variants)
        results.get(v.label)!.push(await measure(pid, v.url, v.authorization));

    const base = results.get(variants[0]!.label)!;
    console.log(
      `\nAuthentication overhead on GET ${ready.pattern} (as ${ready.role}; audited read: ${ready.auditRead}), ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS}s per variant; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.table(
      variants.map((v) => {
        const rs = results.get(v.label)!;
        return {
          variant: v.label,
          'mean ms': mean(rs.map((r) => r.mean)).toFixed(2),
          'p99 ms': mean(rs.map((r) => r.p99)).toFixed(1),
          'req/s': Math.round(mean(rs.map((r) => r.rps))),
          'latency ÷ baseline': median(rs.map((r, i) => r.mean / base[i]!.mean)).toFixed(3),
          'CPU µs/req': mean(rs.map((r) => r.cpuUs)).toFixed(0),
          'CPU ÷ baseline': median(rs.map((r, i) => r.cpuUs / base[i]!.cpuUs)).toFixed(3),
          'non-2xx/errors': rs.reduce((s, r) => s + r.errors, 0),
        };
      }),
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    dir.remove();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
