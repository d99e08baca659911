import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { expectProblem } from './app-harness.ts';

const open = useSecuredLedger();

describe('HEAD /signed-views/{view}', () => {
  it('is refused 405 with Allow: GET, signing no checkpoint and writing no event or access-log entry', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const auditor = await ledger.keyFor('auditor', 'Independent inquiry', 'Inquiry team');
    // No checkpoint yet: a GET of any view would sign one, so a HEAD that ran it would leave one behind.
    expect(await ledger.ledger.checkpoints.latest()).toBeUndefined();
    const events = await ledger.store.count();
    for (const url of ['/signed-views/plans', '/signed-views/plan?subject=dorset', '/signed-views/deadlines?from=2015-10&to=2018-03']) {
      const res = await ledger.call(auditor, { method: 'HEAD', url });
      expect(res.statusCode, url).toBe(405);
      expect(res.headers.allow, url).toBe('GET');
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
    expect(await ledger.ledger.checkpoints.latest()).toBeUndefined();
    expect(await ledger.store.count()).toBe(events);
    const log = (await ledger.call(auditor, { method: 'GET', url: '/access-log' })).json() as { entries: { route: string }[] };
    expect(log.entries.filter((e) => e.route === '/signed-views/:view')).toEqual([]);
    // The GET still signs: the refusal is of the method, not of the view.
    const signed = await ledger.call(auditor, { method: 'GET', url: '/signed-views/plans' });
    expect(signed.statusCode, signed.body).toBe(200);
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
