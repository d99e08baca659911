import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

describe('a page asked for at a time the ledger has passed but this clock has not', () => {
  it('shows the ledger as it stood then, as the API reads it, not the present with what was recorded after it', async () => {
    let now = new Date('2017-03-10T10:00:00.000Z');
    const ledger = await open({}, { web: {}, clock: () => now });
    const { manager } = await seedDorsetPlan(ledger);
    now = new Date('2017-07-01T10:00:00.000Z');
    const res = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/deadline-revisions',
      payload: { to: { kind: 'date', date: '2018-03' }, reason: 'Mapping delayed by recruitment', effectiveOn: '2017-07' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    // This instance's clock two hours behind the one that stamped the revision (stepped back, or another instance's ahead).
    now = new Date('2017-07-01T08:00:00.000Z');
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const asOf = '2017-07-01T09:00:00.000Z';

    const page = await browser.get(`/web/plans/dorset?asOf=${asOf}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You are looking at the past');
    expect(page.body).not.toContain('March 2018');
    const api = await ledger.call(await ledger.keyFor('viewer', 'Dorset CCG'), { method: 'GET', url: `/plans/dorset?asOf=${asOf}` });
    expect(api.json().actions.find((a: { ref: string }) => a.ref === '1.3').revisions).toBe(0);

    // After the last event's ledger time, the present: no banner of the past, and the revision shown.
    const later = await browser.get('/web/plans/dorset?asOf=2017-07-01T11:00:00.000Z');
    expect(later.body).not.toContain('You are looking at the past');
    expect(later.body).toContain('March 2018');
  });
});
