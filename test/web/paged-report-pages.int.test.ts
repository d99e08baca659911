import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/** Seeded plans north, south and west, each with actions 1.3 (due October 2015) and 2.1 (led by Dorset Police, due March 2016). */
const threePlans = async () => {
  const ledger = await open({}, { web: {} });
  for (const planId of ['north', 'south', 'west']) await seedDorsetPlan(ledger, planId);
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
  return browser;
};

describe('pages listing a report a page of plans at a time', () => {
  it('lists its actions a page of plans at a time, its figures counting every plan, with links to the next page and the first', async () => {
    const browser = await threePlans();
    // Dorset Police leads action 2.1 of each plan.
    const plansListed = (page: string) => [...page.matchAll(/href="\/web\/plans\/(\w+)\/actions\/2\.1/g)].map((m) => m[1]);
    const whole = (await browser.get('/web/organisations/Dorset%20Police')).body;
    expect(plansListed(whole)).toEqual(['north', 'south', 'west']);
    expect(whole).not.toContain('nhsuk-pagination');

    const first = (await browser.get('/web/organisations/Dorset%20Police?limit=1')).body;
    expect(first).toMatch(/Actions led<\/dt><dd class="nhsuk-summary-list__value">3</);
    expect(plansListed(first)).toEqual(['north']);
    // One set of page links, after the list, as on the other reports: not a second landmark of the same name above the heading.
    expect(first.match(/<nav class="nhsuk-pagination"/g)).toHaveLength(1);
    expect(first.indexOf('<nav class="nhsuk-pagination"')).toBeGreaterThan(first.indexOf('<h1'));
    // The date form keeps the limit asked for (not the page: another date's list is read from its first plan).
    expect(first).toContain('<input type="hidden" name="limit" value="1">');
    // The design system's page links: marked as the next and previous pages, with their arrows.
    const next = /href="(\/web\/organisations\/Dorset%20Police\?after=north&amp;limit=1)" rel="next"/.exec(first)?.[1];
    expect(first).toContain('nhsuk-icon--arrow-right');
    expect(next, first).toBeDefined();
    const second = (await browser.get(next!.replace('&amp;', '&'))).body;
    expect(plansListed(second)).toEqual(['south']);
    expect(second).toMatch(/Actions led<\/dt><dd class="nhsuk-summary-list__value">3</);
    expect(second).toContain('href="/web/organisations/Dorset%20Police?limit=1" rel="prev"');
    expect(second).toContain('nhsuk-icon--arrow-left');
    const last = (await browser.get('/web/organisations/Dorset%20Police?after=south&limit=1')).body;
    expect(plansListed(last)).toEqual(['west']);
    expect(last).not.toContain('nhsuk-pagination__link--next');
    for (const bad of ['?limit=0', '?limit=x', '?after=', '?after=%00x'])
      expect((await browser.get(`/web/organisations/Dorset%20Police${bad}`)).statusCode, bad).toBe(400);
  });

  it("answers an organisation's name cut at 300 characters through a character above U+FFFF as no such organisation, not a 500", async () => {
    const browser = await threePlans();
    // 299 letters and an emoji: the cut at 300 falls between its two UTF-16 halves.
    const res = await browser.get(`/web/organisations/${'a'.repeat(299)}${encodeURIComponent('😀')}?limit=1`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(404);
    expect(res.body).toContain('No such organisation');
  });

  it("lists the deadline report's actions a page of plans at a time, its totals and CSV over every plan, keeping the period", async () => {
    const browser = await threePlans();
    const plansListed = (page: string) => [...new Set([...page.matchAll(/href="\/web\/plans\/(\w+)\/actions\//g)].map((m) => m[1]))];
    const period = 'from=2015-10&to=2016-03';
    const first = (await browser.get(`/web/reports/deadlines?${period}&limit=1`)).body;
    expect(plansListed(first)).toEqual(['north']);
    expect(first).toMatch(/Missed<\/dt><dd class="nhsuk-summary-list__value">6</);
    expect(first).toContain(`href="/web/reports/deadlines.csv?${period.replace('&', '&amp;')}"`);
    const next = /href="(\/web\/reports\/deadlines\?from=2015-10&amp;to=2016-03&amp;after=north&amp;limit=1)"/.exec(first)?.[1];
    expect(next, first).toBeDefined();
    const second = (await browser.get(next!.replaceAll('&amp;', '&'))).body;
    expect(plansListed(second)).toEqual(['south']);
    expect(second).toContain('href="/web/reports/deadlines?from=2015-10&amp;to=2016-03&amp;limit=1"');
    // At a past date, the way back to today, the date form and the period form keep the limit too, and never the page.
    const past = (await browser.get(`/web/reports/deadlines?${period}&after=north&limit=1&effectiveOn=2016-05`)).body;
    expect(past).toContain(`href="/web/reports/deadlines?${period.replace('&', '&amp;')}&amp;limit=1">See this page as it is today`);
    expect(past.match(/<input type="hidden" name="limit" value="1">/g)).toHaveLength(2);
    expect(past).not.toContain('name="after"');
    expect(plansListed((await browser.get(`/web/reports/deadlines?${period}`)).body)).toEqual(['north', 'south', 'west']);
    expect((await browser.get(`/web/reports/deadlines?${period}&limit=1001`)).statusCode).toBe(400);
    // A page past the last plan says so, rather than showing totals over nothing.
    expect((await browser.get(`/web/reports/deadlines?${period}&after=zzz`)).body).toContain(
      'No plan after zzz has an action in this report: the list is on the pages before.',
    );
    expect((await browser.get('/web/organisations/Dorset%20Police?after=zzz')).body).toContain(
      'No plan after zzz names Dorset Police: the list is on the pages before.',
    );
  });
});
