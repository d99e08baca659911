import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { hiddenFieldsOf, dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();
const form = '/web/plans/dorset/actions/1.3/evidence';
const summaryOf = (html: string) => [...html.matchAll(/<li>\s*<a href="(#[^"]+)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]!.trim()}`);

describe('a form whose box breaks more than one rule', () => {
  it("lists one error for the box, the one shown beside it, not zod's generic one as well, and writes nothing", async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
    const before = await ledger.store.count();
    const res = await browser.submit(form, form, {
      ...hiddenFieldsOf((await browser.get(form)).body),
      title: 'Board minutes',
      uri: 'board minutes folder',
    });
    expect(res.statusCode).toBe(400);
    const said = 'Link: an evidence uri is an https:// or http:// address, or a urn: such as urn:isbn:…';
    expect(summaryOf(res.body)).toEqual([`#uri ${said}`]);
    expect(res.body).toContain(said);
    expect(res.body).not.toContain('Invalid URL');
    expect(await ledger.store.count()).toBe(before);
  });

  it('a link holding a space is refused at its box, saying where and how to write it, and nothing is written', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
    const before = await ledger.store.count();
    const res = await browser.submit(form, form, {
      ...hiddenFieldsOf((await browser.get(form)).body),
      title: 'Board minutes',
      uri: 'https://example.org/board minutes.pdf',
    });
    expect(res.statusCode).toBe(400);
    expect(summaryOf(res.body)).toEqual([
      '#uri Link: an evidence uri holds a space at character 26, which a URI cannot hold (RFC 3986): write it percent-encoded ' +
        '(a space as %20), as a browser gives the address when it is copied from its address bar',
    ]);
    expect(await ledger.store.count()).toBe(before);
  });
});
