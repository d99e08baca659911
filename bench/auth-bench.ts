/**
 * What authentication costs: latency of one read at 32 connections, served by an app this
 * benchmark builds without access control (the baseline) and by the same app with it,
 * called with an API key and with an OpenID Connect token, all in the same run, over
 * the same SQLite ledger. Rounds alternate so drift hits every variant alike.
 *
 *   node --import tsx bench/auth-bench.ts     (BENCH_SECONDS=4 BENCH_ROUNDS=5 BENCH_ROUTE=/plans/:planId/events to change)
 *
 * Many short interleaved rounds, and the median of each round's ratio to that round's
 * baseline, because a shared two-core machine drifts more between minutes than
 * authentication costs.
 *
 * The route: GET /plans/:planId when the app registers it, else GET /plans/:planId/events.
 * Both are audited reads, so the authenticated figures include writing the access log.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createAccessControl, defaultAccessSettings } from '../src/access/access-control.ts';
import { organisationDirectoryFor } from '../src/access/organisation-files.ts';
import { buildApp } from '../src/http/app.ts';
import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';
import { claimFor, startOidcProvider } from '../test/support/oidc-provider.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 32;

type Result = { label: string; mean: number; p50: number; p99: number; rps: number; busyUs: number; errors: number };

/**
 * Latency as autocannon sees it, and the serving thread's busy time per request (event
 * loop utilisation × wall time ÷ requests): the load generator runs on a worker thread,
 * so that figure is the server's own work and moves less with the machine's other load.
 */
const measure = async (label: string, url: string, authorization?: string): Promise<Result> => {
  const before = performance.eventLoopUtilization();
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, workers: 1, headers: authorization ? { authorization } : {} });
  const busy = performance.eventLoopUtilization(before);
  const bad = r.non2xx + r.errors + r.timeouts;
  return { label, mean: r.latency.mean, p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, busyUs: (busy.active * 1000) / Math.max(1, r.requests.total), errors: bad };
};

export async function run(): Promise<void> {
  const dir = makeTempDir('ledger-auth-bench-');
  const provider = await startOidcProvider();
  const store = openSqliteEventStore({ file: dir.file('ledger.db') });
  const access = createAccessControl({
    file: dir.file('access.db'),
    directory: organisationDirectoryFor(dir.path),
    // A benchmark client is one principal sending thousands of requests a second: lift the limit for it.
    settings: { ...defaultAccessSettings, oidc: provider.settings, rateLimit: { max: 100_000_000, windowMs: 60_000 } },
  });
  const open = await buildApp({ store, operator: { id: 'bench', name: 'Benchmark', organisation: 'Dorset CCG', role: 'plan-manager' } });
  const secured = await buildApp({ store, access });
  try {
    const manager = access.keys.create({ name: 'Seeder', role: 'plan-manager', organisation: access.directory.canonical('Dorset CCG'), createdBy: 'bench' }).key;
    const seeded = await secured.inject({ method: 'POST', url: '/plans', headers: { authorization: `Bearer ${manager}` }, payload: { planId: 'dorset', title: 'Dorset Crisis Care Concordat', kind: 'crisis-care-concordat', owner: 'Dorset CCG' } });
    if (seeded.statusCode !== 201) throw new Error(`seeding failed: ${seeded.body}`);
    for (let i = 1; i <= 20; i++)
      await secured.inject({ method: 'POST', url: '/plans/dorset/actions', headers: { authorization: `Bearer ${manager}` }, payload: { ref: `1.${i}`, text: `Action ${i}`, leadOrganisations: ['Dorset CCG'], due: { kind: 'date', date: '2015-10', wording: 'October 2015' } } });

    const pattern = process.env.BENCH_ROUTE ?? (secured.accessTable.some((r) => r.method === 'GET' && r.url === '/plans/:planId') ? '/plans/:planId' : '/plans/:planId/events');
    const route = secured.accessTable.find((r) => r.method === 'GET' && r.url === pattern);
    if (!route) throw new Error(`no GET ${pattern} route`);
    // Whoever the route admits: a projection is read by viewers, raw events by auditors.
    const role = route.access === 'audit' ? 'auditor' : 'viewer';
    const key = access.keys.create({ name: 'Bench reader', role, organisation: access.directory.canonical('Dorset CCG'), createdBy: 'bench' }).key;
    const token = await provider.tokens.valid(claimFor[role], 'Dorset CCG', { exp: Math.floor(Date.now() / 1000) + 3600 });
    const path = pattern.replace(':planId', 'dorset');

    const baseUrl = await open.listen({ port: 0, host: '127.0.0.1' });
    const securedUrl = await secured.listen({ port: 0, host: '127.0.0.1' });
    const variants = [
      { label: 'no authentication (baseline)', url: baseUrl + path, authorization: undefined },
      { label: 'API key', url: securedUrl + path, authorization: `Bearer ${key}` },
      { label: 'OIDC JWT (RS256)', url: securedUrl + path, authorization: `Bearer ${token}` },
    ];
    for (const v of variants) await autocannon({ url: v.url, connections: CONNECTIONS, duration: 2, workers: 1, headers: v.authorization ? { authorization: v.authorization } : {} });

    const results = new Map<string, Result[]>();
    for (let round = 0; round < ROUNDS; round++)
      for (const v of variants) results.set(v.label, [...(results.get(v.label) ?? []), await measure(v.label, v.url, v.authorization)]);

    const avg = (rs: Result[], k: keyof Omit<Result, 'label'>) => rs.reduce((s, r) => s + r[k], 0) / rs.length;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const base = results.get(variants[0]!.label)!;
    console.log(`\nAuthentication overhead on GET ${pattern} (${role}, audited read: ${route.auditRead}), ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS}s per variant; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.table(
      variants.map((v) => {
        const rs = results.get(v.label)!;
        return {
          variant: v.label,
          'mean ms': avg(rs, 'mean').toFixed(2),
          'p50 ms': avg(rs, 'p50').toFixed(2),
          'p99 ms': avg(rs, 'p99').toFixed(2),
          'req/s': Math.round(avg(rs, 'rps')),
          'mean latency ÷ baseline (median of rounds)': median(rs.map((r, i) => r.mean / base[i]!.mean)).toFixed(3),
          'server busy µs/req': avg(rs, 'busyUs').toFixed(0),
          'busy ÷ baseline (median)': median(rs.map((r, i) => r.busyUs / base[i]!.busyUs)).toFixed(3),
          'non-2xx/errors': rs.reduce((s, r) => s + r.errors, 0),
        };
      }),
    );
  } finally {
    await open.close();
    await secured.close();
    await store.close();
    await access.close();
    await provider.close();
    dir.remove();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
