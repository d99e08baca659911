/**
 * Durable appends through HTTP: one event per request, 32 concurrent connections, against a
 * real `ledger serve` child process (so the load generator and the server use separate cores).
 *   node --import tsx bench/http-append-bench.ts      (BENCH_SECONDS sets the duration, default 10)
 * Target: at least 4,000 events/s with p99 at most 25 ms. The fsync ceiling of the same disk is
 * measured in the same run as the baseline.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const PLANS = 64;
const CONNECTIONS = 32;

/** A free loopback port: the bench picks it so it need not parse the server's log, whatever its level. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

const startServer = async (dataDir: string) => {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), 'bin/ledger.js', 'serve', '--port', String(port)],
    {
      // The bench client is one principal sending far more than a person would: lift its rate limit.
      env: {
        ...process.env,
        LEDGER_DATA_DIR: dataDir,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
        LEDGER_DEMO_DATA: 'false',
        LEDGER_RATE_LIMIT_MAX: '100000000',
      },
      // The log goes to a pipe that is drained, so request logging costs what it costs in production.
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  child.stdout!.resume();
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`ledger serve exited ${child.exitCode}`);
    const up = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { child, url };
    if (tries > 200) throw new Error('ledger serve did not become ready in 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** A plan-manager key made with the real `ledger keys create`, as an operator would. */
const createKey = (dataDir: string): string => {
  const result = spawnSync(
    process.execPath,
    ['bin/ledger.js', 'keys', 'create', '--name', 'bench', '--role', 'plan-manager', '--organisation', 'Bench Trust'],
    {
      env: { ...process.env, LEDGER_DATA_DIR: dataDir },
      encoding: 'utf8',
    },
  );
  const key = /al_[A-Za-z0-9_-]+/.exec(result.stdout)?.[0];
  if (!key) throw new Error(`ledger keys create failed: ${result.stderr}`);
  return key;
};

let authorization = '';
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) }).then(
    async (r) => {
      if (r.status !== 201) throw new Error(`${url}: ${r.status} ${await r.text()}`);
    },
  );

/** The fsync ceiling on the same disk: one single-row transaction per event. */
const fsyncCeiling = (dir: string, ms = 3000) => {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  const body = 'x'.repeat(600);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    insert.run(body);
    n++;
  }
  db.close();
  return n / ((performance.now() - start) / 1000);
};

/**
 * CPU seconds the server process has used (Linux /proc). On a shared machine wall-clock
 * throughput swings with other load; CPU per request says what the server itself costs.
 */
const cpuSecondsOf = (pid: number): number | undefined => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
};

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-http-bench-'));
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const ceiling = fsyncCeiling(dir);
  // The server creates the ledger on first start; the key is made afterwards, as an operator does
  // (`ledger keys create` refuses a data directory that holds no ledger yet).
  const { child, url } = await startServer(join(dir, 'data'));
  authorization = `Bearer ${createKey(join(dir, 'data'))}`;
  try {
    for (let p = 0; p < PLANS; p++) {
      await post(`${url}/plans`, { planId: `plan-${p}`, title: `Plan ${p}`, kind: 'other', owner: 'Bench Trust', effectiveOn: '2015-01' });
      await post(`${url}/plans/plan-${p}/actions`, {
        ref: '1.1',
        text: 'Action',
        leadOrganisations: ['Bench Trust'],
        due: { kind: 'date', date: '2018-03' },
        effectiveOn: '2015-01',
      });
    }
    let i = 0;
    const cpuBefore = cpuSecondsOf(child.pid!);
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          setupRequest: (req) => ({
            ...req,
            path: `/plans/plan-${i++ % PLANS}/actions/1.1/progress-updates`,
            body: JSON.stringify({ narrative: `Update ${i}: the pilot continues`, effectiveOn: '2017-08' }),
          }),
        },
      ],
    });
    const cpuAfter = cpuSecondsOf(child.pid!);
    const ok = result['2xx'];
    const cpuMsPerRequest =
      cpuBefore !== undefined && cpuAfter !== undefined ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total : undefined;
    const perSecond = ok / seconds;
    console.log(
      '\nDurable appends through HTTP (one event per request, 32 connections, real ledger serve process with access control and live projections)',
    );
    console.table([
      { measure: 'fsync ceiling (raw SQLite, 1 insert/transaction)', 'events/s': Math.round(ceiling) },
      {
        measure: 'HTTP appends',
        'events/s': Math.round(perSecond),
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
        'server CPU ms/request': cpuMsPerRequest?.toFixed(3) ?? 'n/a',
        non2xx: result.non2xx,
        errors: result.errors,
      },
    ]);
    if (cpuMsPerRequest)
      console.log(
        `Server CPU per request ${cpuMsPerRequest.toFixed(3)} ms: one core could serve about ${Math.round(1000 / cpuMsPerRequest)} appends/s.`,
      );
    console.log(
      `HTTP / fsync ceiling = ${(perSecond / ceiling).toFixed(2)}x; target >= 4,000 events/s with p99 <= 25 ms: ${perSecond >= 4000 && result.latency.p99 <= 25 ? 'met' : 'NOT met'}`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
