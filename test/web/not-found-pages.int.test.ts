import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/** Every link on a page into the ledger's pages, as a browser reads it: not its files, nor the banner's way back to today. */
const pageLinks = (html: string) =>
  [...html.matchAll(/<a\s[^>]*href="(\/web[^"]*)"[^>]*>([^<]*)/g)]
    .filter(([, href, text]) => !href!.startsWith('/web/assets/') && !text!.includes('See this page as it is today'))
    .map(([, href]) => href!.replaceAll('&amp;', '&'));

describe('pages that find nothing', () => {
  it('keep the clocks the person was looking at on every link back into the ledger, as every other page does', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
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
});
