import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/** Seeded plans north, south and west, each the Dorset plan's sections, recommendations and actions. */
const threePlans = async () => {
  const ledger = await open({}, { web: {} });
  let manager;
  for (const planId of ['north', 'south', 'west']) ({ manager } = await seedDorsetPlan(ledger, planId));
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
  return { ledger, manager: manager!, browser };
};

const plansListed = (page: string) =>
  [...page.matchAll(/<h3 class="nhsuk-card__heading[^>]*><a class="nhsuk-card__link" href="\/web\/plans\/(\w+)/g)].map((m) => m[1]);
const figures = (page: string) => /<p class="nhsuk-body-l">([^<]*)<strong>([^<]*)<\/strong>/.exec(page)?.slice(1).join('');

describe('the home page, a page of plans at a time', () => {
  it('lists the plans a page at a time in plan-id order, its figures counting every plan, with links to the next page and the first', async () => {
    const { browser } = await threePlans();
    const whole = (await browser.get('/web')).body;
    expect(plansListed(whole)).toEqual(['north', 'south', 'west']);
    expect(whole).not.toContain('nhsuk-pagination');
    const everyPlan = figures(whole);
    expect(everyPlan).toMatch(/^3 plans, \d+ actions, \d+ overdue/);

    const first = (await browser.get('/web?limit=1')).body;
    expect(plansListed(first)).toEqual(['north']);
    expect(figures(first)).toBe(everyPlan);
    expect(first).toContain('The plans are listed 1 at a time, in the order of their ids.');
    // The date form keeps the limit asked for (not the page: another date's list is read from its first plan).
    expect(first).toContain('<input type="hidden" name="limit" value="1">');
    expect(first).toContain('href="/web?after=north&amp;limit=1" rel="next"');

    const second = (await browser.get('/web?after=north&limit=1')).body;
    expect(plansListed(second)).toEqual(['south']);
    expect(figures(second)).toBe(everyPlan);
    expect(second).toContain('here those after north');
    expect(second).toContain('href="/web?limit=1" rel="prev"');
    expect(second).toContain('href="/web?after=south&amp;limit=1" rel="next"');

    const last = (await browser.get('/web?after=south&limit=1')).body;
    expect(plansListed(last)).toEqual(['west']);
    expect(last).not.toContain('nhsuk-pagination__link--next');
    // A page past the last plan says so, rather than "no plans have been recorded".
    const beyond = (await browser.get('/web?after=zzz')).body;
    expect(plansListed(beyond)).toEqual([]);
    expect(beyond).toContain('No plan after zzz: the list is on the pages before.');
    expect(beyond).not.toContain('No plans to list');
  });

  it('pages the plans as they stood at an earlier date, its links keeping the date', async () => {
    const { browser } = await threePlans();
    const first = (await browser.get('/web?limit=2&effectiveOn=2016-05')).body;
    expect(plansListed(first)).toEqual(['north', 'south']);
    expect(first).toMatch(/href="\/web\?after=south&amp;limit=2&amp;effectiveOn=2016-05" rel="next"/);
  });

  it('refuses a page the API would refuse, as a page of its own, and records nothing', async () => {
    const { ledger, browser } = await threePlans();
    const before = await ledger.store.headPosition();
    for (const bad of ['?limit=0', '?limit=1001', '?limit=x', '?after=', '?after=%00x']) {
      const res = await browser.get(`/web${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.body, bad).toContain('The address names no page of plans');
    }
    expect(await ledger.store.headPosition()).toBe(before);
  });

  it('shows what was recorded since the last visit on the first page only, and only the first page moves the mark on', async () => {
    const { ledger, manager, browser } = await threePlans();
    expect((await browser.get('/web')).statusCode).toBe(200); // the visit the next one counts from
    const res = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/west/actions/1.3/progress-updates',
      payload: { narrative: 'Mapping under way', effectiveOn: '2017-05' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const seen = browser.jar.get('al_seen');

    const second = (await browser.get('/web?after=north&limit=1')).body;
    expect(second).not.toContain('id="since-heading"');
    expect(browser.jar.get('al_seen')).toBe(seen);
    const first = (await browser.get('/web?limit=1')).body;
    expect(first.slice(first.indexOf('id="since-heading"'))).toContain('1 entry recorded');
    expect(browser.jar.get('al_seen')).not.toBe(seen);
  });

  it('names each plan recorded in since the last visit by its title, off the page too, and a plan retracted since by its id', async () => {
    const { ledger, manager, browser } = await threePlans();
    expect((await browser.get('/web')).statusCode).toBe(200);
    for (const [url, payload] of [
      ['/plans/west/actions/1.3/progress-updates', { narrative: 'Mapping under way', effectiveOn: '2017-05' }],
      ['/plans/south/retraction', { reason: 'Registered twice: the plan is kept as west' }],
    ] as const) {
      const res = await ledger.call(manager, { method: 'POST', url, payload });
      expect(res.statusCode, res.body).toBe(201);
    }
    // The page reads the views as far as they have applied the ledger: the retraction too, once they have.
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const first = (await browser.get('/web?limit=1')).body;
    expect(plansListed(first)).toEqual(['north']);
    const since = first.slice(first.indexOf('id="since-heading"'));
    expect(since).toContain('2 entries recorded');
    expect(since).toContain('<a href="/web/plans/west">Dorset Crisis Care Concordat action plan</a>');
    expect(since).toContain('<a href="/web/plans/south">south</a>');
  });
});

describe("the integrity page's plans to export, a page at a time", () => {
  it('lists the export links a page of plans at a time in plan-id order, with links to the next page and the first', async () => {
    const { ledger } = await threePlans();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('auditor', 'Independent inquiry'));
    const exported = (page: string) => [...page.matchAll(/href="\/web\/plans\/(\w+)\/export"/g)].map((m) => m[1]);
    expect(exported((await browser.get('/web/integrity')).body)).toEqual(['north', 'south', 'west']);
    const first = (await browser.get('/web/integrity?limit=2')).body;
    expect(exported(first)).toEqual(['north', 'south']);
    expect(first).toContain('href="/web/integrity?after=south&amp;limit=2" rel="next"');
    const second = (await browser.get('/web/integrity?after=south&limit=2')).body;
    expect(exported(second)).toEqual(['west']);
    expect(second).toContain('href="/web/integrity?limit=2" rel="prev"');
    expect(second).not.toContain('nhsuk-pagination__link--next');
    const beyond = (await browser.get('/web/integrity?after=zzz')).body;
    expect(exported(beyond)).toEqual([]);
    expect(beyond).toContain('No plan after zzz: the list is on the pages before.');
    const before = await ledger.store.headPosition();
    expect((await browser.get('/web/integrity?limit=0')).statusCode).toBe(400);
    expect(await ledger.store.headPosition()).toBe(before);
  });

  it('says an empty ledger has no plan to export, not that the list is on the pages before', async () => {
    const ledger = await open({}, { web: {} });
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('auditor', 'Independent inquiry'));
    for (const address of ['/web/integrity', '/web/integrity?after=north']) {
      const page = (await browser.get(address)).body;
      expect(page, address).toContain('No plans to export: none have been recorded, or each has been retracted.');
      expect(page, address).not.toContain('the list is on the pages before');
      expect(page, address).not.toMatch(/<ul class="nhsuk-list nhsuk-list--bullet">\s*<\/ul>/);
    }
  });
});
