import { describe, expect, it } from 'vitest';
import { firstDayOf, lastDayOf } from '../../events/business-date.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();
const openWeb = async () => {
  const ledger = await open({}, { web: {} });
  await seedDorsetPlan(ledger);
  return ledger;
};
const viewerOf = async (ledger: SecuredLedger) => {
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
  return browser;
};

/** The value a page's text field shows. */
const fieldValue = (html: string, name: string) => new RegExp(`name="${name}" type="text" value="([^"]*)"`).exec(html)?.[1];
/** The href of the time-travel banner's way back to today, as a browser reads it. */
const presentLink = (html: string) =>
  /<a class="nhsuk-notification-banner__link" href="([^"]*)">See this page as it is today<\/a>/.exec(html)?.[1]?.replaceAll('&amp;', '&');
describe('the deadlines page', () => {
  it("shows the API's period when none is asked for, the quarter holding 'today' at the clocks, and says so", async () => {
    const ledger = await openWeb();
    const api = await ledger.keyFor('viewer');
    const browser = await viewerOf(ledger);
    for (const clocks of ['', '?effectiveOn=2016-02', '?effectiveOn=2015-08-15']) {
      const answer = (await ledger.call(api, { method: 'GET', url: `/reports/deadlines${clocks}` })).json() as {
        period: string;
        from: string;
        to: string;
        actions: { ref: string }[];
      };
      expect(answer.period).toBe('current-quarter');
      const page = await browser.get(`/web/reports/deadlines${clocks}`);
      expect(page.statusCode).toBe(200);
      const from = fieldValue(page.body, 'from')!;
      const to = fieldValue(page.body, 'to')!;
      expect({ from: firstDayOf(from), to: lastDayOf(to) }, clocks).toEqual({ from: answer.from, to: answer.to });
      expect(page.body).toContain('No period was chosen, so this shows');
      for (const { ref } of answer.actions) expect(page.body).toContain(`/actions/${ref}`);
    }
    const february = await browser.get('/web/reports/deadlines?effectiveOn=2016-02');
    expect(february.body).toContain('<h2 class="nhsuk-heading-m">January 2016 to March 2016</h2>');
    expect(february.body).toContain('the calendar quarter holding 29 February 2016, the day this page looks back to');
    // Asked for, the period is the one asked: nothing to explain.
    const asked = await browser.get('/web/reports/deadlines?from=2015-01&to=2016-12');
    expect(asked.body).not.toContain('No period was chosen');
  });

  it('refuses one end of the period without the other, as the API does, pointing at the missing field', async () => {
    const ledger = await openWeb();
    const browser = await viewerOf(ledger);
    const page = await browser.get('/web/reports/deadlines?from=2015-01');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('href="#to"');
    expect(page.body).toMatch(/id="to-error"[^]*Enter to as well as from, or neither for the current quarter/);
    expect(fieldValue(page.body, 'from')).toBe('2015-01');
  });

  it('keeps the period and organisation asked for on its way back to today and in its error state, but not a quarter taken for want of one', async () => {
    const ledger = await openWeb();
    const browser = await viewerOf(ledger);
    const asked = 'from=2015-01&to=2016-12&organisation=Dorset+Police';
    const page = await browser.get(`/web/reports/deadlines?${asked}&effectiveOn=2015-08`);
    expect(page.statusCode).toBe(200);
    expect(presentLink(page.body)).toBe(`/web/reports/deadlines?${asked}`);
    const refused = await browser.get('/web/reports/deadlines?from=2017-13&to=2016-12&organisation=Dorset+Police&effectiveOn=2015-08');
    expect(refused.statusCode).toBe(400);
    expect(presentLink(refused.body)).toBe('/web/reports/deadlines?from=2017-13&to=2016-12&organisation=Dorset+Police');
    expect(fieldValue(refused.body, 'from')).toBe('2017-13');
    expect(refused.body).toContain('<option value="Dorset Police" selected>');
    // The quarter holding 29 February 2016 is not today's: the way back shows today's.
    expect(presentLink((await browser.get('/web/reports/deadlines?effectiveOn=2016-02')).body)).toBe('/web/reports/deadlines');
  });
});
