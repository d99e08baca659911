import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** The real `ledger serve` in a child process, as a user starts it. */
const startLedger = async (dataDir: string) => {
  const child = spawn(process.execPath, ['bin/ledger.js', 'serve', '--port', '0'], {
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'info', LEDGER_DEMO_DATA: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`ledger exited ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
};

let key = '';
const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
  body: JSON.stringify(body),
});

describe('ledger serve (real process, real port)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('ledger-serve-');
  });
  afterEach(() => dir.remove());

  it('serves health, docs and commands, and on SIGTERM finishes in-flight appends before exiting', async () => {
    key = createKeyWithCli(dir.path, 'plan-manager', 'Trust');
    const { child, url, output } = await startLedger(dir.path);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${url}/docs`)).status).toBe(200);
    const openapi = await (await fetch(`${url}/openapi.json`)).json();
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toContain('/plans/{planId}/actions/{ref}/deadline-revisions');
    expect((await fetch(`${url}/plans`, json({ planId: 'p', title: 'P', kind: 'other', owner: 'Trust' }))).status).toBe(201);

    // Fire a burst of appends and ask the server to stop while they are in flight.
    const burst = Array.from({ length: 40 }, (_, i) =>
      fetch(`${url}/plans/p/sections`, json({ sectionRef: `s${i}`, title: `Section ${i}` })).then(
        (r) => r.status,
        () => 0,
      ),
    );
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    const statuses = await Promise.all(burst);
    const [code] = await once(child, 'exit');
    expect(code, output()).toBe(0);
    expect(output()).toMatch(/"reqId":"[0-9a-f-]{36}"/); // every request's log lines carry its id

    const store = openSqliteEventStore({ file: `${dir.path}/ledger.db` });
    try {
      const acknowledged = statuses.filter((s) => s === 201).length;
      expect(acknowledged).toBeGreaterThan(0);
      // Every acknowledged append is durable; nothing was written without an answer being sent.
      expect(await store.count()).toBe(1 + acknowledged);
    } finally {
      await store.close();
    }
  });

  it('refuses a bad configuration value with a message naming it', () => {
    const result = spawnSync(process.execPath, ['bin/ledger.js', 'serve'], {
      env: { ...process.env, PORT: 'eighty', LEDGER_DATA_DIR: dir.path },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/PORT/);
  });
});
