import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, hiddenFieldsOf } from './web-support.ts';

const open = useSecuredLedger();
const form = '/web/plans/dorset/actions/1.3/progress-update';

describe('the action page a form sends the person back to', () => {
  it('is the page of its history holding what was just recorded, however long the history, as its banner says', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    // More entries than a history page shows (50): in recorded order the new one falls on a later page.
    for (let i = 0; i < 55; i++) {
      const res = await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/actions/1.3/progress-updates',
        payload: { narrative: `Update ${i}`, effectiveOn: '2016-01' },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('contributor', 'Dorset CCG'));
    const sent = await browser.submit(form, form, {
      ...hiddenFieldsOf((await browser.get(form)).body),
      narrative: 'The crisis line is open at night',
      rating: 'Green',
      'effectiveOn-day': '',
      'effectiveOn-month': '8',
      'effectiveOn-year': '2017',
    });
    expect(sent.statusCode, sent.body.slice(0, 300)).toBe(303);

    const back = await browser.get(String(sent.headers.location).split('#')[0]!);
    expect(back.statusCode).toBe(200);
    expect(back.body).toContain('shown in the history below');
    expect(back.body).toContain('The crisis line is open at night');
    // The first page, as the action's address alone shows it, does not hold it.
    expect((await browser.get('/web/plans/dorset/actions/1.3')).body).not.toContain('The crisis line is open at night');
  });
});
