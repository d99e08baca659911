import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();
const NOTICE = 'The address asked for a page of this history that it does not have';

describe('a history page asked for a page it does not have', () => {
  it('shows the first page and says so, on an action and on the whole plan, and nothing when the page is there', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'viewer', 'Dorset CCG');
    const timeline = (await browser.get('/web/plans/dorset/history')).body;
    expect(timeline).not.toContain(NOTICE);
    const before = await ledger.store.count();
    for (const path of ['/web/plans/dorset/history', '/web/plans/dorset/actions/1.3'])
      for (const query of ['after=bogus', 'after=999999', 'order=bogus', 'after=0&order=effective&shown=x']) {
        const res = await browser.get(`${path}?${query}`);
        expect(res.statusCode, `${path}?${query}`).toBe(200);
        expect(res.body, `${path}?${query}`).toContain(NOTICE);
      }
    // A cursor that names an entry of the history: its page, with no notice.
    const positions = (
      (await ledger.call(await ledger.keyFor('viewer', 'Dorset CCG'), { method: 'GET', url: '/plans/dorset/timeline' })).json() as {
        entries: { position: string }[];
      }
    ).entries.map((e) => e.position);
    const page = await browser.get(`/web/plans/dorset/history?after=${positions[0]}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(NOTICE);
    expect(await ledger.store.count()).toBe(before);
  });
});
