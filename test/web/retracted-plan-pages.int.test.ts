import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

describe('the pages of a retracted plan', () => {
  it('say the plan was retracted, by whom and why, on every clock that knows it, and link the plan as it stood before', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const retracted = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/retraction',
      payload: { reason: 'Registered twice: the plan is kept as dorset-ccc' },
    });
    expect(retracted.statusCode, retracted.body).toBe(201);
    const browser = browserFor(ledger);
    await browser.signIn(manager);

    for (const url of [
      '/web/plans/dorset',
      '/web/plans/dorset/actions/1.3',
      '/web/plans/dorset/progress',
      '/web/plans/dorset?effectiveOn=2016-01',
      '/web/plans/dorset/actions/2.1?effectiveOn=2016-01',
      '/web/plans/dorset/actions/1.3/progress-update',
    ]) {
      const page = await browser.get(url);
      expect(page.statusCode, url).toBe(410);
      expect(page.body, url).toContain('Dorset Crisis Care Concordat action plan was retracted');
      expect(page.body, url).toContain('giving the reason: Registered twice: the plan is kept as dorset-ccc');
      // Who retracted it, and when, in London's words.
      expect(page.body, url).toMatch(/\S+ retracted this plan on \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} (GMT|BST), giving/);
      expect(page.body, url).not.toContain('Record a progress update');
      // At an earlier date, the date form to try another, as a page that finds no plan offers it; today, the link back.
      const form = 'See this page as it stood on an earlier date';
      if (url.includes('effectiveOn=')) expect(page.body, url).toContain(form);
      else expect(page.body, url).not.toContain(form);
    }
    // The changes page, retracted at its `to`, offers only the clock its comparison does not set.
    const to = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    const changes = await browser.get(`/web/plans/dorset/changes?from=2016-02-01&to=${to}&effectiveOn=2016-01`);
    expect(changes.statusCode).toBe(410);
    expect(changes.body).toContain('was retracted');
    expect(changes.body).toContain('See this page as it stood on an earlier date');
    expect(changes.body).toMatch(/<input[^>]*name="effectiveOn"/);
    expect(changes.body).not.toMatch(/<input[^>]*name="asOf"/);

    // The lists leave it out, and do not say that no plan was ever registered.
    expect((await browser.get('/web')).body).toContain('No plans to list: none have been recorded, or each has been retracted.');
    expect((await browser.get('/web?effectiveOn=2016-01')).body).toContain(
      'No plan to list by the end of January 2016: none had been registered by then, or each had been retracted.',
    );

    const link = /href="(\/web\/plans\/dorset\?asOf=[^"]+)">see the plan as it stood before it was retracted/.exec(
      (await browser.get('/web/plans/dorset')).body,
    )?.[1];
    expect(link).toBeDefined();
    const before = await browser.get(link!.replaceAll('&amp;', '&'));
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('Mapping services');
    expect(before.body).not.toContain('was retracted');
    expect((await browser.get(`${link!.replace('/web/plans/dorset?', '/web/plans/dorset/actions/1.3?')}`)).statusCode).toBe(200);
  });

  it("give a retraction's and a reinstatement's reason once in the plan's history, where a withdrawal's has its own line", async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    for (const [url, reason] of [
      ['/plans/dorset/actions/2.1/withdrawal', 'No longer commissioned'],
      ['/plans/dorset/retraction', 'Imported by mistake'],
      ['/plans/dorset/reinstatement', 'The retraction was itself a mistake'],
    ] as const) {
      const recorded = await ledger.call(manager, { method: 'POST', url, payload: { reason } });
      expect(recorded.statusCode, recorded.body).toBe(201);
    }
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    const history = await browser.get('/web/plans/dorset/history');
    expect(history.statusCode).toBe(200);
    const times = (text: string) => history.body.split(text).length - 1;
    expect(history.body).toContain('Plan retracted from every current view and report: Imported by mistake');
    expect(times('Imported by mistake')).toBe(1);
    expect(history.body).toContain('Plan reinstated after its retraction: The retraction was itself a mistake');
    expect(times('The retraction was itself a mistake')).toBe(1);
    // A withdrawal's one line does not hold its reason: the row gives it beneath.
    expect(history.body).toContain('Reason: No longer commissioned');
  });
});
