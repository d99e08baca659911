import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

describe('the discrepancies page', () => {
  it('lists a deadline moved after it had passed, saying from which deadline, to which, why and who', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const manager = await ledger.keyFor('plan-manager');
    const revised = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/deadline-revisions',
      payload: {
        to: { kind: 'date', date: '2016-06' },
        reason: 'Waiting for the new service',
        agreedBy: 'Concordat board',
        effectiveOn: '2016-02',
      },
    });
    expect(revised.statusCode).toBe(201);
    await ledger.call(manager, { method: 'GET', url: `/plans/dorset?minPosition=${revised.json().position}` });
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = (await browser.get('/web/reports/discrepancies')).body;
    expect(page).toContain('Deadline moved after it had passed (1)');
    expect(page).toMatch(
      /1\.3<\/a> <span class="nhsuk-body-s">\(Dorset Crisis Care Concordat action plan\)<\/span>: on February 2016, after October 2015 had passed, to June 2016 because Waiting for the new service, agreed by Concordat board \(recorded by /,
    );
    // An update recorded years after it happened: one late entry is named as one, not as "one of them".
    const late = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/2.1/progress-updates',
      payload: { narrative: 'Protocol drafted', effectiveOn: '2016-01' },
    });
    expect(late.statusCode, late.body).toBe(201);
    await ledger.call(manager, { method: 'GET', url: `/plans/dorset?minPosition=${late.json().position}` });
    expect((await browser.get('/web/reports/discrepancies')).body).toMatch(
      /2\.1<\/a> <span class="nhsuk-body-s">\([^)]*\)<\/span>: 1 late entry, recorded \d+ days after it happened</,
    );
    // Before the revision's business date nothing had been moved.
    expect((await browser.get('/web/reports/discrepancies?effectiveOn=2016-01')).body).toContain('Deadline moved after it had passed (0)');
  });
});
