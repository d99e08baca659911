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
      /1\.3<\/a> <span class="nhsuk-body-s">\(Dorset Crisis Care Concordat action plan\)<\/span>: in February 2016, after October 2015 had passed, to June 2016 because Waiting for the new service, agreed by Concordat board \(recorded by /,
    );
    // An update recorded years after it happened: one late entry is named as one, not as "one of them".
    const late = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/2.1/progress-updates',
      payload: { narrative: 'Protocol drafted', reportedRag: { rating: 'Green' }, effectiveOn: '2016-01' },
    });
    expect(late.statusCode, late.body).toBe(201);
    await ledger.call(manager, { method: 'GET', url: `/plans/dorset?minPosition=${late.json().position}` });
    const withLate = (await browser.get('/web/reports/discrepancies')).body;
    expect(withLate).toMatch(/2\.1<\/a> <span class="nhsuk-body-s">\([^)]*\)<\/span>: 1 late entry, recorded \d+ days after it happened</);
    // A rating given for a month was given in it, not on it.
    expect(withLate).toMatch(/2\.1<\/a> <span class="nhsuk-body-s">\([^)]*\)<\/span>: reported Green in January 2016, \d+ days overdue/);
    // Before the revision's business date nothing had been moved.
    expect((await browser.get('/web/reports/discrepancies?effectiveOn=2016-01')).body).toContain('Deadline moved after it had passed (0)');
  });

  it('lists the findings a page of plans at a time, with totals over every plan and a link to the next page', async () => {
    const ledger = await open({}, { web: {} });
    let position = 0;
    for (const planId of ['north', 'south', 'west']) {
      const { manager } = await seedDorsetPlan(ledger, planId);
      const late = await ledger.call(manager, {
        method: 'POST',
        url: `/plans/${planId}/actions/2.1/progress-updates`,
        payload: { narrative: 'Protocol drafted', effectiveOn: '2016-01' },
      });
      expect(late.statusCode, late.body).toBe(201);
      position = late.json().position;
    }
    await ledger.call(await ledger.keyFor('viewer', 'Dorset CCG'), { method: 'GET', url: `/plans/north?minPosition=${position}` });
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const listed = (page: string) => [...page.matchAll(/href="\/web\/plans\/(\w+)\/actions\/2\.1/g)].map((m) => m[1]);
    const first = (await browser.get('/web/reports/discrepancies?limit=1')).body;
    expect(first).toContain('Recorded more than 30 days after it happened (3)');
    expect(first).toContain('1 of them on this page.');
    expect(listed(first)).toEqual(['north']);
    const next = /href="(\/web\/reports\/discrepancies\?after=north&amp;limit=1)"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = (await browser.get(next!.replace('&amp;', '&'))).body;
    expect(second).toContain('Recorded more than 30 days after it happened (3)');
    expect(listed(second)).toEqual(['south']);
    expect(second).toContain('href="/web/reports/discrepancies?limit=1"');
    const last = (await browser.get('/web/reports/discrepancies?after=south&limit=1')).body;
    expect(listed(last)).toEqual(['west']);
    expect(last).not.toContain('nhsuk-pagination__link--next');
    // The default page holds them all, with no page links.
    const whole = (await browser.get('/web/reports/discrepancies')).body;
    expect(listed(whole)).toEqual(['north', 'south', 'west']);
    expect(whole).not.toContain('nhsuk-pagination');
    for (const bad of ['?limit=0', '?limit=1001', '?after=', '?after=%00x', '?after=a&after=b'])
      expect((await browser.get(`/web/reports/discrepancies${bad}`)).statusCode, bad).toBe(400);
  });
});
