import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

describe('the deadlines page and its CSV, given a field twice in the address', () => {
  it('refuse an organisation given twice, as the API does, rather than report every organisation', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const query = 'from=2015-01&to=2016-12&organisation=Dorset%20Police&organisation=Dorset%20CCG';
    const api = await ledger.call(await ledger.keyFor('viewer'), { method: 'GET', url: `/reports/deadlines?${query}` });
    expect(api.statusCode).toBe(400);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = await browser.get(`/web/reports/deadlines?${query}`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('href="#organisation"');
    // The CSV would otherwise be a report of every organisation, saved from an address that named one.
    const csv = await browser.get(`/web/reports/deadlines.csv?${query}`);
    expect(csv.statusCode).toBe(400);
    expect(csv.headers['content-disposition']).toBeUndefined();
  });

  it('refuse a period whose ends are given twice, as the API does, rather than report the current quarter', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const query = 'from=2015-01&from=2015-02&to=2016-12&to=2016-11';
    const api = await ledger.call(await ledger.keyFor('viewer'), { method: 'GET', url: `/reports/deadlines?${query}` });
    expect(api.statusCode).toBe(400);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = await browser.get(`/web/reports/deadlines?${query}`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('href="#from"');
    expect(page.body).toContain('href="#to"');
    const csv = await browser.get(`/web/reports/deadlines.csv?${query}`);
    expect(csv.statusCode).toBe(400);
    expect(csv.headers['content-disposition']).toBeUndefined();
  });
});
