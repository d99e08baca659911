import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();

/** The fields the error summary links to, in its order. */
const summaryLinks = (html: string) => {
  const summary = html.slice(html.indexOf('nhsuk-error-summary'), html.indexOf('</ul>', html.indexOf('nhsuk-error-summary')));
  return [...summary.matchAll(/<a href="#([^"]+)">/g)].map(([, field]) => field);
};
/** The fields with an error, in the order they stand on the page. */
const fieldsInError = (html: string) => [...html.matchAll(/id="([^"]+)-error"/g)].map(([, field]) => field);

describe('the error summary of a page with errors in its own form and in its date form', () => {
  it('lists them in the order the fields stand on the page: the page’s own form first, its date form after', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'viewer', 'Dorset CCG');
    const before = await ledger.store.count();
    const page = await browser.get('/web/reports/deadlines?from=2015-13&to=2018-12&asOf=2019-02-30');
    expect(page.statusCode).toBe(400);
    expect(fieldsInError(page.body)).toEqual(['from', 'asOf']);
    expect(summaryLinks(page.body)).toEqual(fieldsInError(page.body));
    // The page's own fields in their order too: the period, then the organisation.
    const own = await browser.get('/web/reports/deadlines?organisation=a&organisation=b&from=2015-13&to=2018-12');
    expect(own.statusCode).toBe(400);
    expect(summaryLinks(own.body)).toEqual(['from', 'organisation']);
    // The date form's fields in its own order, whether the dates' reading or the page refused each: on the changes page
    // a date of the clock compared on is the page's refusal, beside a date the reading refused.
    for (const clocks of [
      'clock=effective&from=2017-03&to=2017-05&effectiveOn=2017-04&asOf=2017-02-30',
      'asOf=2017-06-01&effectiveOn=2017-13',
    ]) {
      const changes = await browser.get(
        `/web/plans/dorset/changes?${clocks}${clocks.startsWith('clock') ? '' : '&from=2017-03-31&to=2017-06-30'}`,
      );
      expect(changes.statusCode, clocks).toBe(400);
      expect(fieldsInError(changes.body), clocks).toEqual(['asOf', 'effectiveOn']);
      expect(summaryLinks(changes.body), clocks).toEqual(['asOf', 'effectiveOn']);
    }
    expect(await ledger.store.count()).toBe(before);
  });
});
