import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/** The Dorset plan seeded once: its actions and recommendations name several organisations. */
const seeded = async () => {
  const ledger = await open({}, { web: {} });
  await seedDorsetPlan(ledger, 'dorset');
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
  return { ledger, browser };
};

/** The organisations a page lists, by the links to each one's page. */
const listed = (page: string) =>
  [...page.matchAll(/<a href="\/web\/organisations\/([^"?]+)[^"]*">/g)].map((m) => decodeURIComponent(m[1]!.replace(/\+/g, ' ')));

describe('the organisations page, a page of organisations at a time', () => {
  it('lists the organisations a page at a time in name order, as the API pages them, with links to the next page and the first', async () => {
    const { ledger, browser } = await seeded();
    const api = (await ledger.call(await ledger.keyFor('viewer', 'Dorset CCG'), { method: 'GET', url: '/organisations' })).json() as {
      organisations: { organisation: string }[];
    };
    const names = api.organisations.map((o) => o.organisation);
    expect(names.length).toBeGreaterThan(2);
    const whole = (await browser.get('/web/organisations')).body;
    expect(listed(whole)).toEqual(names);
    expect(whole).not.toContain('nhsuk-pagination');

    const first = (await browser.get('/web/organisations?limit=2')).body;
    expect(listed(first)).toEqual(names.slice(0, 2));
    expect(first).toContain('The organisations are listed 2 at a time, in the order of their names.');
    expect(first).toContain('<input type="hidden" name="limit" value="2">');
    const next = new URLSearchParams({ after: names[1]!, limit: '2' }).toString().replace(/&/g, '&amp;');
    expect(first).toContain(`href="/web/organisations?${next}" rel="next"`);
    expect(first).toContain(`the organisations after ${names[1]}`);

    const second = (await browser.get(`/web/organisations?${new URLSearchParams({ after: names[1]!, limit: '2' })}`)).body;
    expect(listed(second)).toEqual(names.slice(2, 4));
    expect(second).toContain('href="/web/organisations?limit=2" rel="prev"');
    expect(second).toContain('from the first organisation');

    // A page past the last organisation says so, rather than that no plan names one.
    const beyond = (await browser.get('/web/organisations?after=zzz')).body;
    expect(listed(beyond)).toEqual([]);
    expect(beyond).toContain('No organisation after zzz: the list is on the pages before.');
  });

  it('refuses a page the API would refuse, as a page of its own, and records nothing', async () => {
    const { ledger, browser } = await seeded();
    const before = await ledger.store.headPosition();
    for (const bad of ['?limit=0', '?limit=1001', '?limit=x', '?after=', '?after=%00x']) {
      const res = await browser.get(`/web/organisations${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.body, bad).toContain('The address names no page of the organisations');
    }
    expect(await ledger.store.headPosition()).toBe(before);
  });
});
