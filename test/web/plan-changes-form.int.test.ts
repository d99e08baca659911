import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { boardYearOn, sentChangesForm } from './plan-changes-support.ts';

const open = useSecuredLedger();
const boardYear = boardYearOn(open);

describe("the plan's changes page, compared again from its own forms", () => {
  it('keeps the entries in between in the order they happened when another window is compared, as the person chose', async () => {
    const { ledger, browser } = await boardYear();
    const before = await ledger.store.count();
    // On either clock, and from a page read at the other clock (whose date the form sets aside or keeps).
    for (const pageQuery of [
      'from=2017-03-31&to=2017-06-30',
      'effectiveOn=2017-03&from=2017-03-09&to=2017-06-30',
      'asOf=2017-06-01&from=2017-03&to=2017-05&clock=effective',
    ]) {
      const page = await browser.get(`/web/plans/dorset/changes?${pageQuery}&order=effective`);
      expect(page.body, pageQuery).toContain('shown in the order they happened');
      let sent = sentChangesForm(page.body, { from: '2017-04-01', to: '2017-06', clock: 'effective' });
      const answer = await browser.get(sent);
      // From a page read at a date, the form's address sends the browser on to the one with the clocks that fit.
      if (answer.statusCode === 303) sent = String(answer.headers.location);
      expect(new URL(sent, 'http://ledger.example').searchParams.get('order'), pageQuery).toBe('effective');
      const shown = await browser.get(sent);
      expect(shown.statusCode, pageQuery).toBe(200);
      expect(shown.body, pageQuery).toContain('shown in the order they happened');
    }
    // In the order the ledger learned them (the default), the form adds nothing.
    const recorded = await browser.get('/web/plans/dorset/changes?from=2017-03-31&to=2017-06-30');
    expect(sentChangesForm(recorded.body, { from: '2017-04-01', to: '2017-06', clock: 'effective' })).not.toContain('order=');
    expect(await ledger.store.count()).toBe(before);
  });
});
