import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();
const SHOWS_TODAY = 'this page shows the ledger as it stands today.';

describe('a page whose dates could not be read', () => {
  it('says under its error summary that it shows the ledger as it stands today, and a page that shows no ledger does not', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'viewer', 'Dorset CCG');
    const before = await ledger.store.count();
    for (const path of ['/web/plans/dorset', '/web/plans/dorset/actions/1.3', '/web/reports/deadlines?from=2015-01&to=2016-12', '/web']) {
      const page = await browser.get(`${path}${path.includes('?') ? '&' : '?'}asOf=2017-02-30`);
      expect(page.statusCode, path).toBe(400);
      expect(page.body, path).not.toContain('You are looking at the past');
      expect(page.body, path).toContain(`Until the date is put right, ${SHOWS_TODAY}`);
    }
    // A good date beside a bad one is not read either.
    const both = await browser.get('/web/plans/dorset?asOf=2017-02-30&effectiveOn=2016-07');
    expect(both.statusCode).toBe(400);
    expect(both.body).toContain(`Until the date is put right, ${SHOWS_TODAY}`);
    const twoBad = await browser.get('/web/plans/dorset?asOf=2017-02-30&effectiveOn=2016-13');
    expect(twoBad.body).toContain(`Until the dates are put right, ${SHOWS_TODAY}`);
    // A date read says nothing of the kind.
    expect((await browser.get('/web/plans/dorset?effectiveOn=2016-07')).body).not.toContain(SHOWS_TODAY);
    // A download's refusal, a page that finds nothing and a page refused show no ledger, so they do not say they show it.
    for (const url of [
      '/web/reports/deadlines.csv?from=2015-01&to=2016-12&asOf=2017-02-30',
      '/web/plans/nope?asOf=2017-02-30',
      '/web/reports/discrepancies?limit=0&asOf=2017-02-30',
    ]) {
      const refused = await browser.get(url);
      expect(refused.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(refused.body, url).not.toContain(SHOWS_TODAY);
    }
    expect(await ledger.store.count()).toBe(before);
  });

  it('says a ledger time written in a form it takes but outside the years 0001 to 9999 in London is out of range, not written wrongly', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'viewer', 'Dorset CCG');
    const before = await ledger.store.count();
    // Half past midnight on 1 January of the year 1, an hour ahead of London: still the year 0 there.
    const page = await browser.get('/web?asOf=0001-01-01T00:30%2B01:00');
    expect(page.statusCode).toBe(400);
    expect(page.body).toMatch(/<a href="#asOf">\s*Enter a date for what the ledger said in the years 0001 to 9999, London time/);
    const changes = await browser.get('/web/plans/dorset/changes?from=0001-01-01T00:30%2B01:00&to=2017-06-30');
    expect(changes.statusCode).toBe(400);
    expect(changes.body).toContain('From must be in the years 0001 to 9999, London time');
    expect(await ledger.store.count()).toBe(before);
  });
});
