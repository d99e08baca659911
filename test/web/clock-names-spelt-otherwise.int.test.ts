import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/**
 * A clock's name in other capitals or with a hyphen (`asof`, `as-of` as the command line spells it): the API refuses
 * it as a name it does not take, and a page that passed over it would show the present, with no banner of the past,
 * to a reader who asked for the past.
 */
describe('a page asked for with a clock named otherwise than asOf or effectiveOn', () => {
  it('is refused, as the API refuses it, naming the clock it looks like, and the date form does not carry it again', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const viewer = await ledger.keyFor('viewer', 'Dorset CCG');
    const browser = browserFor(ledger);
    await browser.signIn(viewer);

    for (const [query, field] of [
      ['asof=2015-07-01T00:00Z', 'asOf'],
      ['AsOf=2015-07-01', 'asOf'],
      ['as-of=2015-07-01', 'asOf'],
      ['effectiveon=2015-07', 'effectiveOn'],
      ['effective_on=2015-07', 'effectiveOn'],
      ['asOf[]=2015-07-01', 'asOf'],
      ['asOf%5B%5D=2015-07-01', 'asOf'],
      ['effectiveOn[]=2015-07', 'effectiveOn'],
      ['asOf.=2015-07-01', 'asOf'],
    ] as const) {
      const api = await ledger.call(viewer, { method: 'GET', url: `/plans/dorset?${query}` });
      expect(api.statusCode, query).toBe(400);
      const page = await browser.get(`/web/plans/dorset?${query}`);
      expect(page.statusCode, query).toBe(400);
      expect(page.body).toContain(`href="#${field}"`);
      expect(page.body).toContain(`write it ${field}, capitals included`);
      // The date form sends the address's other fields again: not the misspelt clock, or it would be refused again.
      expect(page.body).not.toMatch(
        /<input type="hidden" name="(asof|AsOf|as-of|effectiveon|effective_on|asOf\[\]|effectiveOn\[\]|asOf\.)"/,
      );

      const report = await browser.get(`/web/reports/deadlines?from=2015-01&to=2016-12&${query}`);
      expect(report.statusCode, query).toBe(400);
      const csv = await browser.get(`/web/reports/deadlines.csv?from=2015-01&to=2016-12&${query}`);
      expect(csv.statusCode, query).toBe(400);
      expect(csv.headers['content-disposition']).toBeUndefined();
    }

    // Spelt as the API spells them, the clocks are read as ever.
    const past = await browser.get('/web/plans/dorset?asOf=2015-07-01&effectiveOn=2015-07');
    expect(past.statusCode).toBe(404);
    const manager = browserFor(ledger);
    await manager.signIn(await ledger.keyFor('plan-manager', 'Dorset CCG'));
    const form = await manager.get('/web/plans/dorset/corrections/new?asof=2015-07-01');
    // A form records in the present: offered at its own address without the dates, as with asOf spelt as the API spells it.
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe('/web/plans/dorset/corrections/new');
  });
});
