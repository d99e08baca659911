/**
 * Time-travel bench: the views at random points on either clock, answered by a real
 * `ledger serve` from the read store's history, on a generated ledger whose business dates
 * span ten years (one event in twenty recorded late); the rebuild with the history, and the
 * read store's size with the history against without.
 *   npm run bench -- timetravel                                   (1,000,000 events, 2,000 plans)
 *   BENCH_EVENTS=100000 BENCH_PLANS=200 npm run bench -- timetravel
 * Every latency is of one request at a time (p50 and p95 of BENCH_SAMPLES, default 200, after
 * a few to warm up), beside GET /health measured the same way in the same run. The p95 of 60
 * requests is the fourth slowest, which one pause of a shared machine moves; of 200, the eleventh.
 * The generated ledger is cached in the OS temp dir, keyed by generator version and size.
 * BENCH_KEEP_READ_MODELS=1 reads from the read store already built there (by an earlier run or
 * `ledger rebuild`) instead of rebuilding it and measuring its size: at ten million events those take most of an hour.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteEventStore } from '../src/store/sqlite/sqlite-event-store.ts';
import { GENERATOR_VERSION, generatePlanLedger } from '../test/support/plan-ledger-generator.ts';
import { benchKey, rawRead, rebuild, serve, viewerKey } from './projections-bench.ts';
import { readStoreSizes } from './sqlite/read-store-size.ts';
import { webSession } from '../test/support/web-session.ts';

const settings = () => ({
  events: Number(process.env.BENCH_EVENTS ?? 1_000_000),
  plans: Number(process.env.BENCH_PLANS ?? 2_000),
  samples: Number(process.env.BENCH_SAMPLES ?? 200),
});
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** The cached ledger for these settings, generated on first use (plans interleaved 50 events at a time). */
const ledgerDir = async ({ events, plans }: ReturnType<typeof settings>) => {
  const dir = path.join(os.tmpdir(), 'assurance-ledger-bench', `timetravel-g${GENERATOR_VERSION}-spread2-${events}-${plans}`);
  if (fs.existsSync(path.join(dir, 'complete'))) return { dir, generatedSeconds: null };
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const store = openSqliteEventStore({ file: path.join(dir, 'ledger.db') });
  await generatePlanLedger(store, { events, plans, perAppend: 50, spreadBusinessDates: true });
  await store.close();
  fs.writeFileSync(path.join(dir, 'complete'), new Date().toISOString());
  return { dir, generatedSeconds: (performance.now() - started) / 1000 };
};

/** The instants of the ledger's first and last events: random asOf instants fall between them. */
const recordedSpan = async (dir: string) => {
  const store = openSqliteEventStore({ file: path.join(dir, 'ledger.db') });
  try {
    let first: string | undefined;
    for await (const event of store.readAll({ limit: 1 })) first = event.recordedAt;
    const head = await store.headPosition();
    let last: string | undefined;
    for await (const event of store.readAll({ fromPosition: head!, limit: 1 })) last = event.recordedAt;
    return { first: Date.parse(first!), last: Date.parse(last!) };
  } finally {
    await store.close();
  }
};

/** A seeded sequence, so two runs ask the same questions. */
const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x80000000;
};
const rnd = random(7);
const pad = (n: number) => String(n).padStart(2, '0');
/** A business date over the generated span (2015–2024): a day or, one time in three, a month. */
const randomEffectiveOn = () => {
  const month = `${2015 + Math.floor(rnd() * 10)}-${pad(1 + Math.floor(rnd() * 12))}`;
  return rnd() < 1 / 3 ? month : `${month}-${pad(1 + Math.floor(rnd() * 28))}`;
};

interface Sampled {
  p50: number;
  p95: number;
  bytes: number;
  /**
   * Answers 404 where a row accepts them (one plan asked for at a point before it was
   * registered), asked again at a fresh point and not timed: with little or nothing of the plan
   * to fold, they would pull the p95 down.
   */
  notYet: number;
}

/**
 * Requests one at a time, a fresh URL each (so no answer is served from a cache of the last),
 * timed end to end until `samples` answers are timed. A 404 fails the run unless `notYetAllowed`.
 */
const sample = async (
  next: () => string,
  authorization: string | { cookie: string },
  samples: number,
  notYetAllowed = false,
): Promise<Sampled> => {
  const headers = typeof authorization === 'string' ? { authorization } : authorization;
  const times: number[] = [];
  let bytes = 0;
  let notYet = 0;
  for (let warm = 5; times.length < samples;) {
    const url = next();
    const started = performance.now();
    const res = await fetch(url, { headers, redirect: 'manual' });
    const body = await res.text();
    const took = performance.now() - started;
    if (res.status === 404 && notYetAllowed) {
      if (++notYet > samples * 10) throw new Error(`${url}: 404, as were ${notYet - 1} before it`);
      continue;
    }
    if (!res.ok) throw new Error(`${url}: ${res.status} ${body.slice(0, 300)}`);
    bytes = Math.max(bytes, body.length);
    if (warm > 0)
      warm--; // the first few warm the JIT
    else times.push(took);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.ceil(times.length * 0.95) - 1]!, bytes, notYet };
};

/**
 * The pages of plans' timelines after the first, 50 a page, each plan walked from its first page
 * (not timed) at one random point on a clock: what a client paging through a plan's history waits
 * for once it has the first page. A plan not there at the point is passed over.
 */
const laterTimelinePages = async (
  url: (pathAndQuery: string) => string,
  authorization: string,
  samples: number,
  randomPlan: () => string,
  clock: () => string,
): Promise<Sampled> => {
  const headers = { authorization };
  const times: number[] = [];
  let bytes = 0;
  while (times.length < samples) {
    const first = `/plans/${randomPlan()}/timeline?${clock()}&limit=50`;
    const res = await fetch(url(first), { headers });
    if (res.status === 404) {
      await res.text();
      continue;
    }
    if (!res.ok) throw new Error(`${first}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    let next = ((await res.json()) as { next: string | null }).next;
    while (next !== null && times.length < samples) {
      const started = performance.now();
      const later = await fetch(url(`${first}&after=${next}`), { headers });
      const body = await later.text();
      times.push(performance.now() - started);
      if (!later.ok) throw new Error(`${first}&after=${next}: ${later.status} ${body.slice(0, 300)}`);
      bytes = Math.max(bytes, body.length);
      next = (JSON.parse(body) as { next: string | null }).next;
    }
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)]!, p95: times[Math.ceil(times.length * 0.95) - 1]!, bytes, notYet: 0 };
};

const CROSS_PLAN = ['/plans', '/organisations', '/reports/deadlines', '/reports/discrepancies'];
/** The views over every plan whose reads at a clock are split across the read workers (projections/every-plan/). */
const SPLIT = ['/organisations', '/reports/deadlines', '/reports/discrepancies'];

/**
 * Waits for the server's first signed checkpoint over the whole ledger. A server started on a
 * ledger whose Merkle tree is not indexed yet (a new bench ledger) indexes it first, between
 * requests: the reads are timed once it has, as a service that has been running answers them.
 */
const firstCheckpoint = async (url: string, authorization: string, events: number) => {
  const started = performance.now();
  // Ten million events index in minutes; a server that has not signed in an hour never will.
  for (let waited = 0; waited < 3_600_000; waited = performance.now() - started) {
    const res = await fetch(`${url}/ledger/checkpoints/latest`, { headers: { authorization } });
    const body = (await res.json()) as { treeSize?: number | string };
    if (res.ok && Number(body.treeSize) >= events) return (performance.now() - started) / 1000;
    if (res.status !== 404 && !res.ok) throw new Error(`/ledger/checkpoints/latest: ${res.status} ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server signed no checkpoint over all ${events} events within an hour`);
};

/**
 * The views a read splits across the read workers, read again from a server with none (every read
 * on its main thread): the same run's baseline for what the workers save. The rows above came from
 * a server with LEDGER_READ_WORKERS as set (by default one fewer than the cores, at most 3).
 */
const oneThreadBaseline = async (
  dir: string,
  rows: Record<string, string>[],
  randomAsOf: () => string,
  samples: number,
  authorization: string,
) => {
  const server = await serve(dir, { LEDGER_READ_WORKERS: '0' });
  const compared: Record<string, string>[] = [];
  try {
    const u = (pathAndQuery: string) => `${server.url}${pathAndQuery}`;
    for (const view of SPLIT)
      for (const clock of ['asOf', 'effectiveOn'] as const) {
        const measure = `${view} at a random ${clock}`;
        const split = rows.find((r) => r.measure === measure)!;
        const one = await sample(
          () => u(`${view}?${clock}=${clock === 'asOf' ? randomAsOf() : randomEffectiveOn()}`),
          authorization,
          samples,
        );
        const [, p50, p95] = split.figure!.match(/p50 ([\d.]+) ms, p95 ([\d.]+) ms/)!.map(Number);
        compared.push({
          measure,
          'one thread': `p50 ${one.p50.toFixed(1)} ms, p95 ${one.p95.toFixed(1)} ms`,
          'with read workers': split.figure!,
          'p50 ratio': (p50! / one.p50).toFixed(2),
          'p95 ratio': (p95! / one.p95).toFixed(2),
        });
      }
  } finally {
    server.stop();
  }
  console.log(
    `read workers (LEDGER_READ_WORKERS): ${process.env.LEDGER_READ_WORKERS ?? `default, ${Math.max(0, Math.min(3, os.availableParallelism() - 1))}`}; load after the baseline: ${load()}`,
  );
  console.table(compared);
};

export async function run(): Promise<void> {
  const s = settings();
  const { dir, generatedSeconds } = await ledgerDir(s);
  console.log(
    `ledger: ${s.events} events across ${s.plans} plans at ${dir}${generatedSeconds ? `, generated in ${generatedSeconds.toFixed(0)} s` : ' (cached)'}`,
  );
  console.log(`load average before: ${load()} on ${os.cpus().length} cores`);
  const keep = process.env.BENCH_KEEP_READ_MODELS === '1' && fs.existsSync(path.join(dir, 'read-models.db'));
  if (!keep) fs.rmSync(path.join(dir, 'read-models.db'), { force: true });
  const raw = keep ? undefined : await rawRead(dir);
  const built = keep ? undefined : await rebuild(dir);
  if (!keep) console.log(`load average after the rebuild: ${load()}`);
  const sizes = keep ? undefined : readStoreSizes(path.join(dir, 'read-models.db'));
  const span = await recordedSpan(dir);
  const randomAsOf = () => new Date(span.first + rnd() * (span.last - span.first)).toISOString();
  const randomPlan = () => `plan-${String(Math.floor(rnd() * s.plans)).padStart(5, '0')}`;
  const authorization = await viewerKey(dir);
  const server = await serve(dir);
  // Checkpoints are an auditor's read.
  const waited = await firstCheckpoint(server.url, await benchKey(dir, 'auditor'), s.events);
  console.log(`first signed checkpoint over the whole ledger after ${waited.toFixed(1)} s (load ${load()})`);
  const rows: Record<string, string>[] = [];
  const row = (measure: string, r: Sampled, target: string, baseline?: Sampled) =>
    rows.push({
      measure,
      figure: `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms${r.notYet ? ` (${r.notYet} more asked at a point before the plan was registered: 404, not timed)` : ''}`,
      target,
      'p95 / health p95': baseline ? (r.p95 / baseline.p95).toFixed(1) : '',
      'largest answer': `${Math.round(r.bytes / 1024)} KiB`,
    });
  try {
    const u = (pathAndQuery: string) => `${server.url}${pathAndQuery}`;
    const health = await sample(() => u('/health'), authorization, s.samples);
    row('GET /health (baseline)', health, '');
    for (const view of CROSS_PLAN) {
      const join = view.includes('?') ? '&' : '?';
      row(
        `${view} at a random asOf`,
        await sample(() => u(`${view}${join}asOf=${randomAsOf()}`), authorization, s.samples),
        'p95 <= 100 ms',
        health,
      );
      row(
        `${view} at a random effectiveOn`,
        await sample(() => u(`${view}${join}effectiveOn=${randomEffectiveOn()}`), authorization, s.samples),
        'p95 <= 100 ms',
        health,
      );
    }
    row(
      'GET /plans/:planId at a random asOf',
      await sample(() => u(`/plans/${randomPlan()}?asOf=${randomAsOf()}`), authorization, s.samples, true),
      'p95 <= 10 ms',
      health,
    );
    row(
      'GET /plans/:planId at a random effectiveOn',
      await sample(() => u(`/plans/${randomPlan()}?effectiveOn=${randomEffectiveOn()}`), authorization, s.samples, true),
      'p95 <= 10 ms',
      health,
    );
    row(
      'GET /plans/:planId/timeline, pages after the first (50), at a random asOf',
      await laterTimelinePages(u, authorization, s.samples, randomPlan, () => `asOf=${randomAsOf()}`),
      '',
      health,
    );
    row(
      'GET /plans/:planId/timeline, pages after the first (50), at a random effectiveOn',
      await laterTimelinePages(u, authorization, s.samples, randomPlan, () => `effectiveOn=${randomEffectiveOn()}`),
      '',
      health,
    );
    row('GET /plans now, first page (100)', await sample(() => u('/plans'), authorization, s.samples), 'p95 <= 50 ms', health);
    row(
      'GET /plans now, a random page (100)',
      await sample(() => u(`/plans?after=${randomPlan()}`), authorization, s.samples),
      'p95 <= 50 ms',
      health,
    );
    row('GET /organisations now, first page', await sample(() => u('/organisations'), authorization, s.samples), 'p95 <= 50 ms', health);
    // The home page counts every plan and lists a page of them: what a person waits for first.
    const session = await webSession(server.url, authorization);
    row('home page /web now', await sample(() => u('/web'), session, s.samples), '', health);
    row('home page /web at a random asOf', await sample(() => u(`/web?asOf=${randomAsOf()}`), session, s.samples), '', health);
    row(
      'home page /web at a random effectiveOn',
      await sample(() => u(`/web?effectiveOn=${randomEffectiveOn()}`), session, s.samples),
      '',
      health,
    );
  } finally {
    server.stop();
  }
  console.log(`load average after the reads: ${load()}`);
  console.table(rows);
  if (process.env.BENCH_ONE_THREAD_BASELINE !== '0') await oneThreadBaseline(dir, rows, randomAsOf, s.samples, authorization);
  if (!raw || !built || !sizes) return console.log('the read store was kept from before: no rebuild or size measured');
  console.table([
    { measure: 'read ledger through the store (baseline)', figure: `${Math.round(raw.perSecond)} events/s`, target: '', ratio: '1.00' },
    {
      measure: 'rebuild with the history',
      figure: `${built.perSecond} events/s (${built.seconds} s), peak memory ${built.peakMiB} MiB`,
      target: '>= 100000 events/s',
      ratio: (built.perSecond / raw.perSecond).toFixed(2),
    },
    {
      measure: 'read store with history / without (both vacuumed)',
      figure: `${(sizes.withHistory / 2 ** 20).toFixed(1)} MiB / ${(sizes.withoutHistory / 2 ** 20).toFixed(1)} MiB`,
      target: '<= 2.00',
      ratio: (sizes.withHistory / sizes.withoutHistory).toFixed(2),
    },
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
