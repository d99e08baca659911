import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { boardYearOn, sentChangesForm } from './plan-changes-support.ts';

const open = useSecuredLedger();
const boardYear = boardYearOn(open);

/** The error summary's links, and its words. */
const summaryOf = (html: string) => {
  const start = html.indexOf('nhsuk-error-summary');
  if (start < 0) return { links: [], text: '' };
  const block = html.slice(start, html.indexOf('</ul>', start));
  return {
    links: [...block.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!),
    text: block
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .replaceAll('&#39;', "'"),
  };
};
const idsOf = (html: string) => new Set([...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!));

/** The page's time-travel form: its text fields (value, and whether shown in error), and the address it sends. */
const travelForm = (html: string) => {
  const start = html.indexOf('<form', html.indexOf('See this page as it stood on an earlier date'));
  const form = start < 0 ? '' : html.slice(start, html.indexOf('</form>', start));
  const hidden = [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!] as const);
  const fields = [...form.matchAll(/<input class="nhsuk-input([^"]*)" id="(\w+)" name="\w+" type="text"[^>]*value="([^"]*)"/g)];
  return {
    fields: fields.map((m) => m[2]!),
    valueOf: (name: string) => fields.find((m) => m[2] === name)?.[3],
    refused: (name: string) => fields.find((m) => m[2] === name)?.[1]!.includes('nhsuk-input--error') ?? false,
    /** As a browser sends it: the hidden fields, then each field drawn with what was typed into it (or what it held). */
    sent: (typed: Record<string, string>) => {
      const query = new URLSearchParams(hidden.map(([name, value]) => [name, value]));
      for (const m of fields) query.set(m[2]!, typed[m[2]!] ?? m[3]!);
      return `/web/plans/dorset/changes?${query.toString()}`;
    },
  };
};

const RECORDED = 'As the ledger recorded it, the plan is compared as the ledger stood at from and at to';
const EFFECTIVE = 'By the dates things happened, the plan is compared as things stood on from and on to';

describe("the plan's changes page: a date of the clock compared on", () => {
  it('links every error in its summary to a field the page draws, a repeated date of the clock compared on too', async () => {
    const { ledger, browser } = await boardYear();
    const before = await ledger.store.count();
    for (const [query, field] of [
      ['from=2017-03-31&to=2017-06-30&asOf=2017-03-01&asOf=2017-04-01', 'asOf'],
      ['from=2017-03&to=2017-06&clock=effective&effectiveOn=2017-03&effectiveOn=2017-04', 'effectiveOn'],
    ] as const) {
      const page = await browser.get(`/web/plans/dorset/changes?${query}`);
      expect(page.statusCode, query).toBe(400);
      const { links } = summaryOf(page.body);
      expect(links, query).toContain(field);
      const ids = idsOf(page.body);
      for (const link of links) expect(ids.has(link), `${query}: #${link}`).toBe(true);
      expect(travelForm(page.body).refused(field), query).toBe(true);
    }
    expect(await ledger.store.count()).toBe(before);
  });

  it('offers on its "No such plan" page only the clock the comparison takes, as on its other pages', async () => {
    const { ledger, browser, manager } = await boardYear();
    for (const [query, offered, typed] of [
      // Registered in June 2015: by neither end, nor at the page's business date.
      ['from=2017-03-31&to=2017-06-30&effectiveOn=2015-01', 'effectiveOn', '2015-03'],
      // Recorded on 10 March 2017: not by the page's ledger date, and not registered by either end.
      ['from=2015-01&to=2015-03&clock=effective&asOf=2017-03-01', 'asOf', '2017-03-05'],
    ] as const) {
      const page = await browser.get(`/web/plans/dorset/changes?${query}`);
      expect(page.statusCode, query).toBe(404);
      const form = travelForm(page.body);
      expect(form.fields, query).toEqual([offered]);
      // What it offers is not refused as a date that does not go with the comparison.
      const again = await browser.get(form.sent({ [offered]: typed }));
      expect(summaryOf(again.body).text, query).not.toMatch(/does not go|compared as/);
    }
    // A date of the clock compared on, typed into its address, is shown there refused, at the field its summary links to,
    // and answered 400 as the API answers it, before it looks for the plan.
    const typed = await browser.get('/web/plans/dorset/changes?from=2015-01-01&to=2016-01-01&asOf=2016-01-01');
    expect(typed.statusCode).toBe(400);
    const api = await ledger.call(manager, { method: 'GET', url: '/plans/dorset/changes?from=2015-01-01&to=2016-01-01&asOf=2016-01-01' });
    expect(api.statusCode).toBe(400);
    expect(summaryOf(typed.body).links).toEqual(['asOf']);
    expect(travelForm(typed.body).refused('asOf')).toBe(true);
  });

  it('does not carry into its time-travel form the date its comparison form set aside, when that form is shown again to put right', async () => {
    const { browser } = await boardYear();
    const page = await browser.get('/web/plans/dorset/changes?asOf=2017-06-01&effectiveOn=2017-05');
    // As the ledger recorded it, from 31 March: a "what was true on" date of May is after from, refused at its field.
    const shown = await browser.get(sentChangesForm(page.body, { from: '2017-03-31', to: '2017-06-30', clock: 'recorded' }));
    expect(shown.statusCode).toBe(400);
    expect(summaryOf(shown.body).links).toEqual(['effectiveOn']);
    const form = travelForm(shown.body);
    // The ledger date the comparison does not take is neither offered nor sent: only the field to put right is.
    expect(form.fields).toEqual(['effectiveOn']);
    const corrected = form.sent({ effectiveOn: '2017-03' });
    expect(new URL(corrected, 'http://ledger.example').searchParams.has('asOf')).toBe(false);
    const answer = await browser.get(corrected);
    expect(answer.statusCode, summaryOf(answer.body).text).toBe(200);
  });

  it('refuses a date of the clock compared on as one to clear, whatever is typed there: not a date, or one still to come', async () => {
    const { ledger, browser, manager } = await boardYear();
    const before = await ledger.store.count();
    // "Today" is 1 July 2017: 31 December is still to come.
    for (const [query, field, value, words] of [
      ['from=2017-03-31&to=2017-06-30&asOf=2017-02-30', 'asOf', '2017-02-30', RECORDED],
      ['from=2017-03-31&to=2017-06-30&asOf=2017-12-31', 'asOf', '2017-12-31', RECORDED],
      ['from=2017-03-31&to=2017-06-30&asOf=garbage&effectiveOn=2017-03', 'asOf', 'garbage', RECORDED],
      ['from=2017-03&to=2017-06&clock=effective&effectiveOn=2017-13', 'effectiveOn', '2017-13', EFFECTIVE],
      ['from=2017-03&to=2017-06&clock=effective&effectiveOn=2017-12', 'effectiveOn', '2017-12', EFFECTIVE],
    ] as const) {
      const page = await browser.get(`/web/plans/dorset/changes?${query}`);
      expect(page.statusCode, query).toBe(400);
      const summary = summaryOf(page.body);
      // One error at the field, saying to clear it: correcting it to another date would only be refused again.
      expect(
        summary.links.filter((link) => link === field),
        query,
      ).toHaveLength(1);
      expect(summary.text, query).toContain(words);
      expect(summary.text, query).toContain('clear');
      expect(summary.text, query).not.toMatch(/Enter a real|Enter what was true|must be today or earlier/);
      const form = travelForm(page.body);
      expect(form.valueOf(field), query).toBe(value);
      expect(form.refused(field), query).toBe(true);
      // Not said to be read as now either: it is not read at all.
      expect(page.body, query).not.toContain('which is still to come');
      // The API refuses the same address alike.
      const api = await ledger.call(manager, { method: 'GET', url: `/plans/dorset/changes?${query}` });
      expect(api.statusCode, query).toBe(400);
    }
    // The business date that goes with the ledger clock is kept, as typed, beside the refused ledger date.
    const both = await browser.get('/web/plans/dorset/changes?from=2017-03-31&to=2017-06-30&asOf=garbage&effectiveOn=2017-03');
    expect(travelForm(both.body).valueOf('effectiveOn')).toBe('2017-03');
    expect(await ledger.store.count()).toBe(before);
  });
});
