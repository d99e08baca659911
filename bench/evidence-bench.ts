/**
 * Evidence files (npm run bench -- evidence):
 *  1. upload throughput through a real `ledger serve` (multipart POST, streamed to the blob
 *     store, type-checked, fsynced, renamed, event appended) for 1 MB and 20 MB files, against a
 *     raw write + fsync of the same bytes into the same data directory, interleaved in the same run;
 *  2. `ledger evidence-pack` for a plan with 500 files of 200 KB: wall time and peak memory
 *     (maxRSS, from /usr/bin/time), against `ledger export` of the same plan in the same run.
 * The machine is shared: read the ratios, and the load average printed beside them.
 *   BENCH_PACK_FILES (default 500) and BENCH_PACK_FILE_KB (default 200) size the pack.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

const startServer = async (dataDir: string) => {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/ledger.js', 'serve', '--port', String(port)], {
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'warn', LEDGER_DEMO_DATA: 'false', LEDGER_RATE_LIMIT_MAX: '100000000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`ledger serve exited ${child.exitCode}`);
    if (
      await fetch(`${url}/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, url };
    if (tries > 600) throw new Error('ledger serve did not become ready in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
};

const createKey = (dataDir: string): string => {
  const result = spawnSync(
    process.execPath,
    ['bin/ledger.js', 'keys', 'create', '--init', '--name', 'bench', '--role', 'plan-manager', '--organisation', 'Bench Trust'],
    { env: { ...process.env, LEDGER_DATA_DIR: dataDir }, encoding: 'utf8' },
  );
  const key = /al_[A-Za-z0-9_-]+/.exec(result.stdout)?.[0];
  if (!key) throw new Error(`ledger keys create failed: ${result.stderr}`);
  return key;
};

/** A PDF-signed file of `bytes` bytes no other upload shares (random after the header). */
const pdfOf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.4\n%bench\n'), randomBytes(bytes - 16)]);

const upload = async (url: string, key: string, content: Buffer, name: string, planId = 'bench') => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)], { type: 'application/pdf' }), name);
  const res = await fetch(`${url}/plans/${planId}/actions/1/evidence-files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
};

/** The floor: the same bytes written to a new file in the same directory and fsynced, with the directory. */
const rawWrite = (dir: string, content: Buffer, name: string) => {
  const file = join(dir, name);
  const fd = fs.openSync(file, 'w', 0o640);
  fs.writeSync(fd, content);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  const d = fs.openSync(dir, 'r');
  fs.fsyncSync(d);
  fs.closeSync(d);
  fs.rmSync(file);
};

/** A child `ledger` command under /usr/bin/time: wall seconds and peak memory (MiB). */
const timed = (dataDir: string, args: string[]) => {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, 'bin/ledger.js', ...args], {
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  const seconds = (performance.now() - started) / 1000;
  const rss = /maxrss=(\d+)/.exec(result.stderr)?.[1];
  if (result.status !== 0 || !rss) throw new Error(`ledger ${args[0]} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return { seconds, maxRssMiB: Number(rss) / 1024 };
};

export const run = async () => {
  const dataDir = fs.mkdtempSync(join(tmpdir(), 'evidence-bench-'));
  const key = createKey(dataDir);
  const { child, url } = await startServer(dataDir);
  try {
    const json = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const planId of ['bench', 'pack']) {
      await json('/plans', { planId, title: `Bench plan ${planId}`, kind: 'other', owner: 'Bench Trust', effectiveOn: '2024-01' });
      const action = {
        ref: '1',
        text: 'Keep evidence',
        leadOrganisations: ['Bench Trust'],
        due: { kind: 'ongoing' },
        effectiveOn: '2024-01',
      };
      await json(`/plans/${planId}/actions`, action);
    }

    console.log('upload throughput (sequential uploads; raw = write + fsync of the same bytes, interleaved)');
    console.log(
      `  ${'size'.padEnd(6)} ${'files'.padStart(5)} ${'upload MB/s'.padStart(12)} ${'raw MB/s'.padStart(9)} ${'ratio'.padStart(6)}  load`,
    );
    for (const [label, bytes, count] of [
      ['1 MB', 1_000_000, 20],
      ['20 MB', 20_000_000, 5],
    ] as const) {
      let uploadMs = 0;
      let rawMs = 0;
      await upload(url, key, pdfOf(bytes), 'warm-up.pdf');
      for (let i = 0; i < count; i++) {
        const content = pdfOf(bytes);
        let t = performance.now();
        rawWrite(dataDir, content, `raw-${i}.bin`);
        rawMs += performance.now() - t;
        t = performance.now();
        await upload(url, key, content, `file-${i}.pdf`);
        uploadMs += performance.now() - t;
      }
      const mb = (bytes * count) / 1e6;
      const up = mb / (uploadMs / 1000);
      const raw = mb / (rawMs / 1000);
      console.log(
        `  ${label.padEnd(6)} ${String(count).padStart(5)} ${up.toFixed(1).padStart(12)} ${raw.toFixed(1).padStart(9)} ${(up / raw).toFixed(2).padStart(6)}  ${loadavg()}`,
      );
    }

    const files = Number(process.env.BENCH_PACK_FILES ?? 500);
    const kb = Number(process.env.BENCH_PACK_FILE_KB ?? 200);
    for (let i = 0; i < files; i++) await upload(url, key, pdfOf(kb * 1024), `minutes-${i}.pdf`, 'pack');
    const out = join(dataDir, 'pack.zip');
    const exported = timed(dataDir, ['export', '--plan', 'pack', '--out', join(dataDir, 'export.json')]);
    const pack = timed(dataDir, ['evidence-pack', 'pack', '--out', out]);
    const packMb = fs.statSync(out).size / 1e6;
    console.log(`evidence pack of a plan with ${files} files of ${kb} KB: ${packMb.toFixed(0)} MB zip`);
    console.log(`  ledger export:        ${exported.seconds.toFixed(2)} s, maxRSS ${exported.maxRssMiB.toFixed(0)} MiB   (baseline)`);
    console.log(
      `  ledger evidence-pack: ${pack.seconds.toFixed(2)} s (× ${(pack.seconds / exported.seconds).toFixed(1)}), maxRSS ` +
        `${pack.maxRssMiB.toFixed(0)} MiB (× ${(pack.maxRssMiB / exported.maxRssMiB).toFixed(2)})   load ${loadavg()}`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
};

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run();
