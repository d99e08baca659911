import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openLedgerService, startServer, type LedgerService } from '../../src/server.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import Database from 'better-sqlite3';
import { projections, readModelsFile } from '../../projections/read-models.ts';
import { openReadStore } from '../../projections/runner/sqlite/read-store.ts';
import { dataDirWithBacklog } from '../support/backlog-data-dir.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const ORIGIN = 'https://dashboard.example';
const configFor = (dataDir: string) =>
  loadConfig({
    LEDGER_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    LEDGER_DEMO_DATA: 'false',
    LEDGER_CHECKPOINT_INTERVAL_MS: '0',
    LEDGER_CORS_ORIGINS: ORIGIN,
  });

/** A ledger with one plan and a few actions, written through the real service, whose views are then thrown away. */
const ledgerWithoutViews = async () => {
  const dir = makeTempDir('ledger-starting-');
  closers.push(() => dir.remove());
  const keys = {
    manager: createKeyWithCli(dir.path, 'plan-manager', 'SWASFT'),
    metrics: createKeyWithCli(dir.path, 'metrics', 'SWASFT'),
    auditor: createKeyWithCli(dir.path, 'auditor', 'SWASFT'),
  };
  const server = await startServer(configFor(dir.path));
  const post = async (url: string, body: object) => {
    const res = await fetch(`${server.url}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.manager}` },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  };
  await post('/plans', { planId: 'pfd-2022', title: 'Response to a report', kind: 'other', owner: 'SWASFT' });
  for (const ref of ['1', '2', '3'])
    await post('/plans/pfd-2022/actions', {
      ref,
      text: `Action ${ref}`,
      leadOrganisations: ['SWAST'],
      due: { kind: 'date', date: '2030-06' },
    });
  await server.stop('written');
  // The next start folds the whole ledger into new views, as a release whose views are rebuilt does.
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(readModelsFile(dir.path) + suffix, { force: true });
  return { dir, keys };
};

/** Where each view stands in the read store, as a process opening it would find it. */
const viewPositions = (dataDir: string) => {
  const readStore = openReadStore(readModelsFile(dataDir));
  try {
    return projections.map((p) => readStore.checkpoint(p.name)?.position);
  } finally {
    readStore.close();
  }
};

const eventCount = async (dataDir: string) => {
  const store = openSqliteEventStore({ file: `${dataDir}/ledger.db` });
  try {
    return await store.count();
  } finally {
    await store.close();
  }
};

describe('an instance starting', () => {
  it('answers /health, and /ready 503 starting, until its views are folded; every other request is refused, writing nothing', async () => {
    const { dir, keys } = await ledgerWithoutViews();
    const service: LedgerService = await openLedgerService(configFor(dir.path), () => undefined);
    closers.push(() => service.stop('test done'));
    const ask = (url: string, key = keys.manager, method: 'GET' | 'POST' = 'GET', payload?: object) =>
      service.app.inject({ method, url, headers: { authorization: `Bearer ${key}`, origin: ORIGIN }, ...(payload ? { payload } : {}) });
    const before = await eventCount(dir.path);

    expect((await service.app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await service.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['content-type']).toContain('application/problem+json');
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.json()).toMatchObject({ code: 'starting', detail: expect.stringContaining('folding the ledger into its views') });
    // The metrics say how far the start has got, so they answer too.
    expect((await ask('/metrics', keys.metrics)).statusCode).toBe(200);

    for (const refused of [
      await ask('/plans'),
      await ask('/plans/pfd-2022?asOf=2026-01-01'),
      await ask('/organisations'),
      await ask('/access-log', keys.auditor),
      await ask('/plans', keys.manager, 'POST', { planId: 'another', title: 'Another', kind: 'other', owner: 'SWASFT' }),
      // Refused before its body is read: a body that would be refused is not looked at.
      await ask('/plans/pfd-2022/actions', keys.manager, 'POST', { ref: '4', text: 'Action 4', leadOrganisations: ['SWAST'] }),
    ]) {
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json()).toMatchObject({ code: 'starting', title: 'This instance is starting' });
      // As every answer: the security headers, and for a browser client the CORS headers that let it read the refusal.
      expect(refused.headers['x-content-type-options']).toBe('nosniff');
      expect(refused.headers['access-control-allow-origin']).toBe(ORIGIN);
    }
    const preflight = await service.app.inject({
      method: 'OPTIONS',
      url: '/plans',
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
    // A caller without credentials is told so first, as at any other time.
    expect((await service.app.inject({ url: '/plans' })).json()).toMatchObject({ code: 'authentication-required' });
    // A person at the pages is sent to sign in, and told there in words, not JSON; so is a browser opening the service.
    const page = await service.app.inject({ url: '/web/plans' });
    expect(page.statusCode).toBe(303);
    for (const url of [page.headers.location as string, '/']) {
      const starting = await service.app.inject({ url });
      expect(starting.statusCode, url).toBe(503);
      expect(starting.headers['content-type'], url).toContain('text/html');
      expect(starting.headers['retry-after'], url).toBe('5');
      expect(starting.body, url).toContain('This instance is starting');
    }
    // What reads no views is served meanwhile: the pages' stylesheet, and the API's description.
    expect((await service.app.inject({ url: '/openapi.json' })).statusCode).toBe(200);
    expect((await service.app.inject({ url: '/docs/' })).statusCode).toBe(200);
    expect((await service.app.inject({ url: '/web/assets/nhsuk-frontend.css' })).statusCode).toBe(200);
    expect(await eventCount(dir.path)).toBe(before);

    expect(await service.begin()).toBe(true);
    expect((await service.app.inject({ url: '/ready' })).statusCode).toBe(200);
    // The refused read of a plan's detail is in the access log, naming who asked, as any refused attempt is.
    const log = (await ask('/access-log?limit=100', keys.auditor)).json() as {
      entries: { route: string; status: number; role: string | null }[];
    };
    expect(log.entries).toContainEqual(expect.objectContaining({ route: '/plans/:planId', status: 503, role: 'plan-manager' }));
    expect(log.entries.filter((e) => e.role === null)).toEqual([]);
    const plan = await ask('/plans/pfd-2022');
    expect(plan.statusCode).toBe(200);
    expect(plan.json().actions.map((a: { ref: string }) => a.ref)).toEqual(['1', '2', '3']);
    expect(
      (await ask('/plans', keys.manager, 'POST', { planId: 'another', title: 'Another', kind: 'other', owner: 'SWASFT' })).statusCode,
    ).toBe(201);
  });

  it('stopped part way through folding its views, stops without serving, and the next start goes on from what it kept', async () => {
    const { dir, head, key } = await dataDirWithBacklog('ledger-stopped-start-', 12_000);
    closers.push(() => dir.remove());
    const service = await openLedgerService(configFor(dir.path), () => undefined);
    const begun = service.begin();
    await service.stop('stopped at the start');
    expect(await begun).toBe(false);
    const folded = viewPositions(dir.path);
    expect(
      folded.some((position) => position === undefined || position < head),
      String(folded),
    ).toBe(true);

    const again = await openLedgerService(configFor(dir.path), () => undefined);
    closers.push(() => again.stop('test done'));
    expect(await again.begin()).toBe(true);
    expect(viewPositions(dir.path)).toEqual(folded.map(() => head));
    const plans = await again.app.inject({ url: '/plans?limit=100', headers: { authorization: `Bearer ${key}` } });
    expect(plans.json().plans).toHaveLength(12);
  });

  it('whose fold fails on every try never serves, and says at /ready that a fold failed, until it is stopped', async () => {
    const { dir, keys } = await ledgerWithoutViews();
    // An event the views cannot fold (its body damaged past the ledger's own guard): every fold stops at it.
    const ledger = new Database(`${dir.path}/ledger.db`);
    ledger.exec('DROP TRIGGER events_append_only_update');
    ledger.exec(`UPDATE events SET body = '{}' WHERE position = (SELECT MAX(position) FROM events)`);
    ledger.close();
    const service = await openLedgerService(configFor(dir.path), () => undefined);
    const begun = service.begin();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const ready = await service.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().detail).toMatch(/; a fold failed at \d{4}-\d\d-\d\dT[\d:.]+Z and is tried again \(see the log\)/);
    const refused = await service.app.inject({ url: '/plans', headers: { authorization: `Bearer ${keys.manager}` } });
    expect(refused.json()).toMatchObject({ code: 'starting' });
    await service.stop('test done');
    expect(await begun).toBe(false);
  });

  it('whose fold fails (another process holds the views past their timeout) serves only once a later fold has reached the head', async () => {
    const { dir, key } = await dataDirWithBacklog('ledger-failed-start-', 48_000);
    closers.push(() => dir.remove());
    const service = await openLedgerService(configFor(dir.path), () => undefined);
    closers.push(() => service.stop('test done'));
    let serving = false;
    const begun = service.begin().then((served) => (serving = served));
    // Part way through the fold, another process's long write on the views this instance shares: the fold's next commit
    // waits 5 s for it, then fails.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const holder = new Database(readModelsFile(dir.path), { timeout: 10_000 });
    holder.exec('BEGIN IMMEDIATE');
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(serving, 'served with its views behind the head, or the fold ended before the write began').toBe(false);
    expect((await service.app.inject({ url: '/ready' })).json()).toMatchObject({ code: 'starting' });
    const refused = await service.app.inject({ url: '/plans', headers: { authorization: `Bearer ${key}` } });
    expect(refused.json()).toMatchObject({ code: 'starting' });
    holder.exec('ROLLBACK');
    holder.close();
    expect(await begun).toBe(true);
    expect((await service.app.inject({ url: '/ready' })).statusCode).toBe(200);
    const plans = await service.app.inject({ url: '/plans?limit=100', headers: { authorization: `Bearer ${key}` } });
    expect(plans.json().plans).toHaveLength(12);
  }, 90_000);
});
