import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

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
    const { child, url, output } = await startLedgerProcess(dir.path);
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
    // Stop as soon as the first of them is acknowledged, so the rest are still in flight.
    await Promise.race(burst.map((p) => p.then((status) => (status === 201 ? true : new Promise<never>(() => {})))));
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

  it('on SIGTERM, cuts off a request still under way after the grace (a client stalled inside its body) and exits, writing nothing of it', async () => {
    key = createKeyWithCli(dir.path, 'plan-manager', 'Trust');
    const { child, url, output } = await startLedgerProcess(dir.path, { LEDGER_SHUTDOWN_GRACE_MS: '1000' });
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname);
    await once(socket, 'connect');
    // Headers and the first bytes of a body that never comes whole.
    socket.write(
      `POST /plans HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"plan`,
    );
    socket.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopping = Date.now();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code, output()).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(8_000);
    expect(output()).toContain('requests still under way after the grace are cut off');
    socket.destroy();
    const store = openSqliteEventStore({ file: `${dir.path}/ledger.db` });
    try {
      expect(await store.count()).toBe(0);
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
