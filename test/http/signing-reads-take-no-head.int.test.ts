import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { expectProblem } from './app-harness.ts';
import { browserFor } from '../web/web-support.ts';

const open = useSecuredLedger();

/** The reads whose GET may sign a checkpoint first (src/http/signing-read.ts). */
const SIGNING_READS = [
  '/signed-views/plans',
  '/signed-views/plan?subject=dorset',
  '/signed-views/deadlines?from=2015-10&to=2018-03',
  '/plans/dorset/export',
  '/plans/dorset/evidence-pack',
];

describe('HEAD of a read that may sign a checkpoint (signed views, a plan export, an evidence pack)', () => {
  it('is refused 405 with Allow: GET, signing no checkpoint and writing no event or access-log entry', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const auditor = await ledger.keyFor('auditor', 'Independent inquiry', 'Inquiry team');
    // No checkpoint yet: a GET of any of them would sign one, so a HEAD that ran it would leave one behind.
    expect(await ledger.ledger.checkpoints.latest()).toBeUndefined();
    const events = await ledger.store.count();
    for (const url of SIGNING_READS) {
      const res = await ledger.call(auditor, { method: 'HEAD', url });
      expect(res.statusCode, url).toBe(405);
      expect(res.headers.allow, url).toBe('GET');
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
    expect(await ledger.ledger.checkpoints.latest()).toBeUndefined();
    expect(await ledger.store.count()).toBe(events);
    const log = (await ledger.call(auditor, { method: 'GET', url: '/access-log' })).json() as { entries: { method: string }[] };
    expect(log.entries.filter((e) => e.method === 'HEAD')).toEqual([]);
    // The GET still signs: the refusal is of the method, not of the read.
    for (const url of SIGNING_READS) expect((await ledger.call(auditor, { method: 'GET', url })).statusCode, url).toBe(200);
    expect(await ledger.ledger.checkpoints.latest()).toBeDefined();
  });

  it('answers HEAD 405 before anything is read or signed: on an empty ledger too, where a GET is 409 ledger-empty', async () => {
    const ledger = await open();
    const auditor = await ledger.keyFor('auditor');
    expect((await ledger.call(auditor, { method: 'HEAD', url: '/signed-views/plans' })).statusCode).toBe(405);
    expectProblem(await ledger.call(auditor, { method: 'GET', url: '/signed-views/plans' }), 409, 'ledger-empty');
    expect(
      expectProblem(await ledger.call(auditor, { method: 'DELETE', url: '/signed-views/plans' }), 405, 'method-not-allowed').detail,
    ).toBe('/signed-views/plans does not take DELETE: it takes GET');
  });
});

describe("HEAD of the pages' download of a plan's export, which may sign a checkpoint as the API's does", () => {
  it('is refused 405 with Allow: GET, signing no checkpoint and logging no read', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    const auditor = await ledger.keyFor('auditor', 'Dorset CCG');
    await browser.signIn(auditor);
    expect(await ledger.ledger.checkpoints.latest()).toBeUndefined();
    const res = await browser.request({ method: 'HEAD', url: '/web/plans/dorset/export' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(await ledger.ledger.checkpoints.latest()).toBeUndefined();
    const log = (await ledger.call(auditor, { method: 'GET', url: '/access-log' })).json() as { entries: { method: string }[] };
    expect(log.entries.filter((e) => e.method === 'HEAD')).toEqual([]);
    // The download itself still signs.
    expect((await browser.get('/web/plans/dorset/export')).statusCode).toBe(200);
    expect(await ledger.ledger.checkpoints.latest()).toBeDefined();
  });
});
