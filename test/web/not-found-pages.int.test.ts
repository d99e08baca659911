import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();

/** Every link on a page into the ledger's pages, as a browser reads it: not its files, nor the banner's way back to today. */
const pageLinks = (html: string) =>
  [...html.matchAll(/<a\s[^>]*href="(\/web[^"]*)"[^>]*>([^<]*)/g)]
    .filter(([, href, text]) => !href!.startsWith('/web/assets/') && !text!.includes('See this page as it is today'))
    .map(([, href]) => href!.replaceAll('&amp;', '&'));

describe('pages that find nothing', () => {
  it('answer an address that does not decode with a page a person can read, not the API’s problem details', async () => {
    const ledger = await open({}, { web: {} });
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = await browser.get('/web/organisations/%ZZ');
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<h1 class="nhsuk-heading-l">This address is not valid</h1>');
    expect(page.body).toContain('<a href="/web">Go to the plans</a>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // The API's addresses keep their problem details.
    expect((await ledger.call(undefined, { method: 'GET', url: '/organisations/%ZZ' })).headers['content-type']).toMatch(
      /^application\/problem\+json/,
    );
  });

  it('keep what else the address asked for in the date form and the way back to today, for a plan not there or retracted then', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    const presentHref = (html: string) =>
      /<a class="nhsuk-notification-banner__link" href="([^"]+)">See this page as it is today/.exec(html)?.[1];
    const hidden = (html: string) =>
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, n, v]) => `${n}=${v}`);

    const history = await browser.get('/web/plans/dorset/history?order=effective&effectiveOn=2015-02');
    expect(history.statusCode).toBe(404);
    expect(presentHref(history.body)).toBe('/web/plans/dorset/history?order=effective');
    expect(hidden(history.body)).toContain('order=effective');
    const changes = await browser.get('/web/plans/dorset/changes?clock=effective&from=2015-07&to=2016-01&asOf=2015-01-01');
    expect(changes.statusCode).toBe(404);
    expect(presentHref(changes.body)).toBe('/web/plans/dorset/changes?clock=effective&amp;from=2015-07&amp;to=2016-01');
    expect(hidden(changes.body)).toEqual(expect.arrayContaining(['clock=effective', 'from=2015-07', 'to=2016-01']));

    const retracted = await ledger.call(manager, { method: 'POST', url: '/plans/dorset/retraction', payload: { reason: 'Twice' } });
    expect(retracted.statusCode).toBe(201);
    const gone = await browser.get('/web/plans/dorset/history?order=effective&effectiveOn=2016-01');
    expect(gone.statusCode).toBe(410);
    expect(presentHref(gone.body)).toBe('/web/plans/dorset/history?order=effective');
  });

  it('keep the clocks the person was looking at on every link back into the ledger, as every other page does', async () => {
    const { browser } = await dorsetSignedIn(open, 'viewer', 'Dorset CCG');
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const clocks = new URLSearchParams({ asOf: before, effectiveOn: '2015-08' }).toString();
    for (const url of ['/web/plans/nope', '/web/plans/dorset/actions/9.9', '/web/organisations/Nobody', '/web/no-such-page']) {
      const page = await browser.get(`${url}?${clocks}`);
      expect(page.statusCode, url).toBe(404);
      const links = pageLinks(page.body);
      expect(links, url).toContain(`/web?${clocks}`); // "Go to the plans", and the header's home
      for (const href of links)
        expect(href, `${url}: ${href}`).toMatch(new RegExp(`[?&]${clocks.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    }
    // At the present, and where the address names no clocks there can be, the links are today's.
    for (const url of ['/web/plans/nope', '/web/no-such-page?effectiveOn=2015-13']) {
      const page = await browser.get(url);
      expect(page.statusCode, url).toBe(404);
      expect(pageLinks(page.body), url).toContain('/web');
      for (const href of pageLinks(page.body)) expect(href, `${url}: ${href}`).not.toContain('effectiveOn');
    }
  });

  it('find no page under an action but its forms, for every role, keeping the clocks, rather than refusing a form not there', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const clocks = 'effectiveOn=2015-08';
    for (const role of ['viewer', 'auditor', 'plan-manager'] as const) {
      const browser = browserFor(ledger);
      await browser.signIn(await ledger.keyFor(role, 'Dorset CCG'));
      for (const url of [
        '/web/plans/dorset/actions/1.3/',
        `/web/plans/dorset/actions/1.3/?${clocks}`,
        '/web/plans/dorset/actions/1.3/nope',
      ]) {
        const page = await browser.get(url);
        expect(page.statusCode, `${role} ${url}`).toBe(404);
        expect(page.body, `${role} ${url}`).toContain('Page not found');
        if (url.includes('?')) expect(pageLinks(page.body), `${role} ${url}`).toContain(`/web?${clocks}`);
      }
      // The forms themselves are where they were: offered to a plan manager, refused to a reader.
      const form = await browser.get('/web/plans/dorset/actions/1.3/progress-update');
      expect(form.statusCode, role).toBe(role === 'plan-manager' ? 200 : 403);
    }
  });

  it('tell a person that a page’s address does not take that request, with Allow, rather than that no page is there, and record nothing', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
    const head = await ledger.store.headPosition();
    // A form's address opened as a page: a bookmark of where the form was sent.
    const opened = await browser.get('/web/sign-out');
    expect(opened.statusCode).toBe(405);
    expect(opened.headers['allow']).toBe('POST');
    expect(opened.headers['content-type']).toMatch(/^text\/html/);
    expect(opened.body).toContain('This address takes a form, not a visit');
    expect(opened.body).toContain('nothing was recorded');
    expect(opened.headers['content-security-policy']).toContain("default-src 'none'");
    // A page asked to be deleted, as a script might.
    const deleted = await browser.request({ method: 'DELETE', url: '/web/plans/dorset' });
    expect(deleted.statusCode).toBe(405);
    expect(deleted.headers['allow']).toBe('GET, HEAD');
    expect(deleted.body).toContain('This address does not take that request');
    expect(deleted.body).toContain('a mistake is put right by a correction');
    // An address with no page at all is still not found, with no Allow.
    const nowhere = await browser.request({ method: 'DELETE', url: '/web/no-such-page' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.headers['allow']).toBeUndefined();
    expect(await ledger.store.headPosition()).toBe(head);
  });
});
