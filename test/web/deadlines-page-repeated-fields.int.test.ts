import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/**
 * The API's answer, the page's and the CSV's to one address: the page and the CSV refuse what the API
 * refuses (400), naming the fields, and the CSV is not a file to save.
 */
const refusedAlike = async (query: string, fields: string[]) => {
  const ledger = await open({}, { web: {} });
  await seedDorsetPlan(ledger);
  const api = await ledger.call(await ledger.keyFor('viewer'), { method: 'GET', url: `/reports/deadlines?${query}` });
  expect(api.statusCode).toBe(400);
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
  const page = await browser.get(`/web/reports/deadlines?${query}`);
  expect(page.statusCode).toBe(400);
  for (const field of fields) expect(page.body).toContain(`href="#${field}"`);
  const csv = await browser.get(`/web/reports/deadlines.csv?${query}`);
  expect(csv.statusCode).toBe(400);
  expect(csv.headers['content-disposition']).toBeUndefined();
};

describe('the deadlines page and its CSV, given a field twice in the address', () => {
  // The CSV would otherwise be a report of every organisation, saved from an address that named one.
  it('refuse an organisation given twice, as the API does, rather than report every organisation', () =>
    refusedAlike('from=2015-01&to=2016-12&organisation=Dorset%20Police&organisation=Dorset%20CCG', ['organisation']));

  it('refuse a period whose ends are given twice, as the API does, rather than report the current quarter', () =>
    refusedAlike('from=2015-01&from=2015-02&to=2016-12&to=2016-11', ['from', 'to']));
});
