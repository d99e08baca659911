import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, sentAsIs, dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();

describe('pages of the ledger as it is now', () => {
  it('sends the integrity pages and an export, asked for at earlier dates, to their present-day addresses', async () => {
    const { browser } = await dorsetSignedIn(open, 'auditor', 'Dorset CCG');
    for (const [url, present] of [
      ['/web/integrity?asOf=2015-01-01', '/web/integrity'],
      ['/web/integrity/verify?effectiveOn=2015-09', '/web/integrity/verify'],
      ['/web/plans/dorset/export?asOf=2015-01-01&effectiveOn=2015-09', '/web/plans/dorset/export'],
    ] as const) {
      const res = await browser.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location, url).toBe(present);
    }
    const today = await browser.get('/web/integrity');
    expect(today.statusCode).toBe(200);
    expect(today.body).not.toContain('You are looking at the past');
  });

  it("links a past page's header to the pages of the ledger as it is now without the clocks, and to the pages that read at them with", async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    for (const role of ['auditor', 'plan-manager'] as const) {
      const browser = browserFor(ledger);
      await browser.signIn(await ledger.keyFor(role, 'Dorset CCG'));
      const page = await browser.get('/web?asOf=2020-01-01&effectiveOn=2019-06');
      expect(page.statusCode, role).toBe(200);
      const header = /<header[\s\S]*?<\/header>/.exec(page.body)![0];
      const links = [...header.matchAll(/href="(\/web\/[^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
      expect(
        links.find((href) => href.startsWith('/web/organisations')),
        role,
      ).toMatch(/^\/web\/organisations\?asOf=2020-01-01.*&effectiveOn=2019-06$/);
      expect(links, role).toContain(role === 'auditor' ? '/web/integrity' : '/web/imports');
      expect(
        links.filter((href) => /^\/web\/(integrity|imports)/.test(href)),
        role,
      ).toEqual([role === 'auditor' ? '/web/integrity' : '/web/imports']);
    }
  });

  it('sends a page asked for at earlier dates only to a page of this service, whatever the path it came on holds', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
    const base = await ledger.app.listen({ port: 0, host: '127.0.0.1' });
    const own = await sentAsIs(base, '/web/plans/dorset/corrections/new?asOf=2017-01-01&x=1', browser.jar.header());
    expect(own).toEqual({ status: 303, location: '/web/plans/dorset/corrections/new?x=1' });
    // Read as a URL, backslashes are slashes and the dots climb out of /web: "//evil.example/…" is another site.
    const away = await sentAsIs(base, '/web/plans/a\\..\\..\\..\\\\evil.example/corrections/new?asOf=2017-01-01', browser.jar.header());
    expect(away.status).toBe(303);
    expect(away.location).toBe('/web');
  });

  it('sends a page asked for at earlier dates, as the router read its path, to that path without them: never to itself again, nor away from the page', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
    const base = await ledger.app.listen({ port: 0, host: '127.0.0.1' });
    const sent = (path: string) => sentAsIs(base, path, browser.jar.header());
    // The router ends a path at '#' as at '?' (and reads what follows as the query): the page is the path before it.
    const fragment = await sent('/web/plans/dorset/corrections/new#asOf=2017-01-01');
    expect(fragment).toEqual({ status: 303, location: '/web/plans/dorset/corrections/new' });
    expect((await sent(fragment.location!)).status).toBe(200);
    // A request line in absolute form (RFC 9112 3.2.2: a server accepts it) names the same page of this service.
    const absolute = await sent('http://ledger.example/web/plans/dorset/corrections/new?asOf=2017-01-01&x=1');
    expect(absolute).toEqual({ status: 303, location: '/web/plans/dorset/corrections/new?x=1' });
    // Its path is kept as sent all the same: read as a URL, it would name another site.
    const away = await sent('http://ledger.example/web/plans/a\\..\\..\\..\\\\evil.example/corrections/new?asOf=2017-01-01');
    expect(away).toEqual({ status: 303, location: '/web' });
  });
});
