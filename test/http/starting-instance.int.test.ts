import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openLedgerService, startServer, type LedgerService } from '../../src/server.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { readModelsFile } from '../../projections/read-models.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const configFor = (dataDir: string) =>
  loadConfig({
    LEDGER_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: process.env.DBG ?? 'silent',
    LEDGER_DEMO_DATA: 'false',
    LEDGER_CHECKPOINT_INTERVAL_MS: '0',
  });

/** A ledger with one plan and a few actions, written through the real service, whose views are then thrown away. */
const ledgerWithoutViews = async () => {
  const dir = makeTempDir('ledger-starting-');
  closers.push(() => dir.remove());
  const keys = {
    manager: createKeyWithCli(dir.path, 'plan-manager', 'SWASFT'),
    metrics: createKeyWithCli(dir.path, 'metrics', 'SWASFT'),
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
      service.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
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
      await ask('/plans', keys.manager, 'POST', { planId: 'another', title: 'Another', kind: 'other', owner: 'SWASFT' }),
      await ask('/plans/pfd-2022/actions', keys.manager, 'POST', { ref: '4', text: 'Action 4', leadOrganisations: ['SWAST'] }),
    ]) {
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json()).toMatchObject({ code: 'starting', title: 'This instance is starting' });
    }
    // A person at the pages is told the same on a page, not in JSON.
    const page = await ask('/web/plans');
    expect(page.statusCode, page.body.slice(0, 3000)).toBe(503);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['retry-after']).toBe('5');
    expect(page.body).toContain('This instance is starting');
    // Its stylesheet is served meanwhile.
    expect((await ask('/web/assets/nhsuk-frontend.css')).statusCode).toBe(200);
    expect(await eventCount(dir.path)).toBe(before);

    expect(await service.begin()).toBe(true);
    expect((await service.app.inject({ url: '/ready' })).statusCode).toBe(200);
    const plan = await ask('/plans/pfd-2022');
    expect(plan.statusCode).toBe(200);
    expect(plan.json().actions.map((a: { ref: string }) => a.ref)).toEqual(['1', '2', '3']);
    expect(
      (await ask('/plans', keys.manager, 'POST', { planId: 'another', title: 'Another', kind: 'other', owner: 'SWASFT' })).statusCode,
    ).toBe(201);
  });

  it('stopped while it folds its views, stops without serving', async () => {
    const { dir, keys } = await ledgerWithoutViews();
    const service = await openLedgerService(configFor(dir.path), () => undefined);
    const begun = service.begin();
    await service.stop('stopped at the start');
    expect(await begun).toBe(false);
    // The views it folded before it stopped are kept: the next start goes on from them and serves.
    const again = await openLedgerService(configFor(dir.path), () => undefined);
    closers.push(() => again.stop('test done'));
    expect(await again.begin()).toBe(true);
    const plans = await again.app.inject({ url: '/plans', headers: { authorization: `Bearer ${keys.manager}` } });
    expect(plans.json().plans.map((p: { planId: string }) => p.planId)).toEqual(['pfd-2022']);
  });
});
