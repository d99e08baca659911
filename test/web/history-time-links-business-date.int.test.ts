import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

describe('a history read at a business date', () => {
  it('links each entry to the page that holds it as the ledger stood then, counting the entries that business date leaves out', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const update = async (narrative: string, effectiveOn: string) => {
      const res = await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/actions/2.1/progress-updates',
        payload: { narrative, effectiveOn },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    // Recorded first, dated later: not in the history at effectiveOn=2016-01, but in the ledger at every instant after.
    for (let n = 1; n <= 5; n++) await update(`Later note ${n}.`, '2017-01');
    for (let n = 1; n <= 50; n++) await update(`Update number ${n}.`, '2015-09');
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('auditor', 'Dorset CCG'));

    for (const path of ['/web/plans/dorset/actions/2.1', '/web/plans/dorset/history']) {
      // At the business date the whole history is on one page or two; at the entry's instant it is the 51st or later entry.
      let html = (await browser.get(`${path}?effectiveOn=2016-01`)).body;
      let row = html.split('<tr class="nhsuk-table__row" id="entry-').find((r) => r.includes('Update number 46.'));
      if (!row) {
        const next = /href="([^"]*after=[^"]*)#history" rel="next"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
        html = (await browser.get(next!)).body;
        row = html.split('<tr class="nhsuk-table__row" id="entry-').find((r) => r.includes('Update number 46.'));
      }
      const eventId = row!.slice(0, row!.indexOf('"'));
      const link = /href="([^"]*asOf=[^"]*)">As the ledger stood then/.exec(row!)?.[1]?.replaceAll('&amp;', '&');
      expect(link, path).toBeDefined();
      const then = (await browser.get(link!.split('#')[0]!)).body;
      expect(then, `${path}: ${link}`).toContain(`id="entry-${eventId}"`);
      expect(then).not.toContain('Update number 47.');
    }
  });
});
