import { londonDay } from '../../src/domain/calendar.ts';
import { describe, expect, it } from 'vitest';
import { queryAccessLog } from '../../src/access/sqlite/access-log.ts';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';

const open = useSecuredLedger();

describe('read audit', () => {
  it('records each audited read durably, with principal, route, plan, time and result; other reads are not recorded', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const auditor = await ledger.keyFor('auditor', 'Dorset CCG', 'Robin Auditor');
    const viewer = await ledger.keyFor('viewer');
    const keyId = auditor.slice(3, 19);
    const started = new Date().toISOString();

    expect((await ledger.call(auditor, { method: 'GET', url: '/plans/dorset/events' })).statusCode).toBe(200);
    expect((await ledger.call(auditor, { method: 'GET', url: '/plans/nowhere/events' })).statusCode).toBe(404);
    expect((await ledger.call(viewer, { method: 'GET', url: '/plans/dorset/events' })).statusCode).toBe(403);
    expect((await ledger.call(undefined, { method: 'GET', url: '/plans/dorset/events' })).statusCode).toBe(401);
    expect((await ledger.call(auditor, { method: 'GET', url: '/health' })).statusCode).toBe(200);

    const { entries } = await ledger.access.log.query({ limit: 100 });
    expect(entries.map((e) => [e.principalId, e.route, e.planId, e.status])).toEqual([
      [`api-key:${keyId}`, '/plans/:planId/events', 'dorset', 200],
      [`api-key:${keyId}`, '/plans/:planId/events', 'nowhere', 404],
      [expect.stringMatching(/^api-key:/), '/plans/:planId/events', 'dorset', 403],
      [null, '/plans/:planId/events', 'dorset', 401],
    ]);
    expect(entries[0]).toMatchObject({
      principalName: 'Robin Auditor',
      role: 'auditor',
      organisation: 'NHS Dorset Clinical Commissioning Group',
      method: 'GET',
      path: '/plans/dorset/events',
    });
    expect(entries[0]!.at >= started).toBe(true);
  });

  it('records reads of plan detail and timelines from the read models; plan lists and reports are not recorded', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const viewer = await ledger.keyFor('viewer', 'Dorset Police', 'Kim Viewer');
    const at = `minPosition=${await ledger.store.headPosition()}`;
    for (const url of [
      '/plans',
      '/plans/dorset',
      '/plans/dorset/timeline',
      '/plans/dorset/actions/1.3/timeline',
      '/organisations',
      '/reports/discrepancies',
    ])
      expect((await ledger.call(viewer, { method: 'GET', url: `${url}?${at}` })).statusCode, url).toBe(200);
    expect(
      (await ledger.call(viewer, { method: 'GET', url: '/plans/dorset/changes?from=2020-01-01T00:00:00Z&to=2099-01-01T00:00:00Z' }))
        .statusCode,
    ).toBe(200);
    expect((await ledger.call(await ledger.keyFor('admin'), { method: 'GET', url: '/plans/dorset' })).statusCode).toBe(403);

    const { entries } = await ledger.access.log.query({ limit: 100 });
    expect(entries.map((e) => [e.principalName, e.route, e.planId, e.status])).toEqual([
      ['Kim Viewer', '/plans/:planId', 'dorset', 200],
      ['Kim Viewer', '/plans/:planId/timeline', 'dorset', 200],
      ['Kim Viewer', '/plans/:planId/actions/:ref/timeline', 'dorset', 200],
      ['Kim Viewer', '/plans/:planId/changes', 'dorset', 200],
      [expect.any(String), '/plans/:planId', 'dorset', 403],
    ]);
  });

  it('never keeps a key or token sent in the URL: the access log records the path with its secret redacted, the key id kept', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const [, keyId, secret] = /^al_([0-9a-f]{16})_(.+)$/.exec(manager)!;
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJl';
    for (const query of [`access_token=${manager}`, `key=${manager}&limit=5`, `x=${manager}`, `token=${token}`, `jwt=${token}`])
      expect((await ledger.call(undefined, { method: 'GET', url: `/plans/dorset/events?${query}` })).statusCode).toBe(401);

    const { entries } = await ledger.access.log.query({ limit: 100 });
    expect(entries.map((e) => e.path)).toEqual([
      '/plans/dorset/events?access_token=[redacted]',
      '/plans/dorset/events?key=[redacted]&limit=5',
      `/plans/dorset/events?x=al_${keyId}_[redacted]`,
      '/plans/dorset/events?token=[redacted]',
      '/plans/dorset/events?jwt=[redacted]',
    ]);
    expect(JSON.stringify(entries)).not.toContain(secret);
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('the log survives a reopen of access-log.db: it is written to disk, not only to pino', async () => {
    const ledger = await open();
    const auditor = await ledger.keyFor('auditor');
    await ledger.call(auditor, { method: 'GET', url: '/ledger/events' });
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(ledger.accessLogFile);
    try {
      expect(queryAccessLog(db, { limit: 10 }).entries.map((e) => e.route)).toEqual(['/ledger/events']);
      expect(() => db.prepare('DELETE FROM access_log').run()).toThrow(/append-only/);
      expect(() => db.prepare("UPDATE access_log SET principal_id = 'someone-else'").run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('withholds the data (503) when the read cannot be recorded', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const auditor = await ledger.keyFor('auditor');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(ledger.accessLogFile);
    try {
      // A real failure of the real file: another connection makes every insert abort.
      db.exec("CREATE TRIGGER refuse BEFORE INSERT ON access_log BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
      const res = await ledger.call(auditor, { method: 'GET', url: '/plans/dorset/events' });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('access-log-unavailable');
      expect(res.body).not.toContain('PlanRegistered');
      expect(res.headers.etag).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('GET /access-log pages and filters for auditors, and records its own reads', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    await seedDorsetPlan(ledger, 'bournemouth');
    const auditor = await ledger.keyFor('auditor');
    for (const plan of ['dorset', 'bournemouth', 'dorset', 'dorset'])
      await ledger.call(auditor, { method: 'GET', url: `/plans/${plan}/events` });

    const page1 = (await ledger.call(auditor, { method: 'GET', url: '/access-log?planId=dorset&limit=2' })).json();
    expect(page1.entries.map((e: { planId: string }) => e.planId)).toEqual(['dorset', 'dorset']);
    expect(page1.next).toBeTypeOf('number');
    const page2 = (await ledger.call(auditor, { method: 'GET', url: `/access-log?planId=dorset&limit=2&after=${page1.next}` })).json();
    expect(page2.entries).toHaveLength(1);
    expect(page2.next).toBeNull();

    const own = (await ledger.call(auditor, { method: 'GET', url: '/access-log?route=/access-log' })).json();
    expect(own.entries.length).toBe(2);
    const future = (await ledger.call(auditor, { method: 'GET', url: '/access-log?from=2100-01-01T00:00:00Z' })).json();
    expect(future.entries).toEqual([]);
    // A window is written as asOf is: a London day counts whole, an instant may stop at the minute or carry an offset.
    const today = londonDay(new Date());
    const logged = (query: string) =>
      ledger.call(auditor, { method: 'GET', url: `/access-log?route=/plans/:planId/events&${query}` }).then((r) => r.json());
    expect((await logged(`from=${today}&to=${today}`)).entries).toHaveLength(4);
    expect((await logged(`from=${today}T00:00Z`)).entries.length).toBeGreaterThan(0);
    expect((await logged(`to=${today}T00:00:00%2B14:00`)).entries).toEqual([]);
    const backwards = await ledger.call(auditor, { method: 'GET', url: `/access-log?from=2026-12-05&to=2026-12-04` });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({
      code: 'invalid-window',
      detail: expect.stringMatching(/^the window from 2026-12-05 to 2026-12-04 holds/),
    });
    // A query that does not decode is refused after the caller is known: logged with them, with the security headers, and 401 without a key.
    const undecodable = await ledger.call(auditor, { method: 'GET', url: '/plans/dorset/events?limit=%ZZ' });
    expect(undecodable.statusCode).toBe(400);
    expect(undecodable.json().code).toBe('malformed-url');
    expect(undecodable.headers['x-content-type-options']).toBe('nosniff');
    const refusedRead = (await logged('status=400')).entries.at(-1);
    expect(refusedRead).toMatchObject({ path: '/plans/dorset/events?limit=%ZZ', role: 'auditor' });
    expect(refusedRead.principalId).toMatch(/^api-key:/);
    expect((await ledger.call(undefined, { method: 'GET', url: '/plans/dorset/events?limit=%ZZ' })).statusCode).toBe(401);
    const bad = await ledger.call(auditor, { method: 'GET', url: '/access-log?status=abc' });
    expect(bad.statusCode).toBe(400);
    expect((await ledger.call(await ledger.keyFor('plan-manager'), { method: 'GET', url: '/access-log' })).statusCode).toBe(403);
  });
});
