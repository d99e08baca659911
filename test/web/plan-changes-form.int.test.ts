import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { boardYearOn, sentChangesForm } from './plan-changes-support.ts';

const open = useSecuredLedger();
const boardYear = boardYearOn(open);

/** The page's time-travel form: the text fields it offers, and the address it sends with a date typed into one. */
const travelForm = (html: string) => {
  const start = html.indexOf('<form', html.indexOf('See this page as it stood on an earlier date'));
  const form = html.slice(start, html.indexOf('</form>', start));
  const hidden = [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]);
  const fields = [...form.matchAll(/<input class="nhsuk-input[^"]*" id="(\w+)" name="\w+" type="text"[^>]*value="([^"]*)"/g)];
  return {
    fields: fields.map((m) => m[1]!),
    valueOf: (name: string) => fields.find((m) => m[1] === name)?.[2],
    sent: (typed: Record<string, string>) =>
      `/web/plans/dorset/changes?${new URLSearchParams([...hidden, ...Object.entries(typed)]).toString()}`,
  };
};

describe("the plan's changes page: its forms, and its banner", () => {
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

  it("is reached from the plan's history in the order that history was in, so the entries in between are listed the same way", async () => {
    const { browser } = await boardYear();
    const link = (html: string) =>
      /<a href="([^"]*)">What changed in this plan between two dates<\/a>/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    // At either clock (a window compared on the other one), and on a page answering 400 for a date it cannot read, which
    // shows the present in that order too.
    for (const [pageQuery, expected, window] of [
      ['order=effective', '/web/plans/dorset/changes?order=effective', 'from=2017-03-31&to=2017-06-30'],
      [
        'order=effective&effectiveOn=2017-04',
        '/web/plans/dorset/changes?order=effective&effectiveOn=2017-04',
        'from=2017-04-01&to=2017-06-30',
      ],
      [
        'order=effective&asOf=2017-06-01',
        '/web/plans/dorset/changes?order=effective&asOf=2017-06-01',
        'from=2017-03&to=2017-05&clock=effective',
      ],
      ['order=effective&asOf=garbage', '/web/plans/dorset/changes?order=effective', 'from=2017-03-31&to=2017-06-30'],
    ] as const) {
      const history = await browser.get(`/web/plans/dorset/history?${pageQuery}`);
      expect(link(history.body), pageQuery).toBe(expected);
      const changes = await browser.get(`${expected}&${window}`);
      expect(changes.statusCode, pageQuery).toBe(200);
      expect(changes.body, pageQuery).toContain('shown in the order they happened');
    }
    // In the order the ledger learned them (the default), the link adds nothing.
    expect(link((await browser.get('/web/plans/dorset/history')).body)).toBe('/web/plans/dorset/changes');
  });

  it('offers in its time-travel form only the clock that does not go with the way compared, whose every date the page takes', async () => {
    const { ledger, browser } = await boardYear();
    const before = await ledger.store.count();
    const cases = [
      { page: 'from=2017-03-31&to=2017-06-30', offered: 'effectiveOn', typed: '2017-03' },
      { page: 'from=2017-03&to=2017-06&clock=effective', offered: 'asOf', typed: '2017-06-15' },
    ];
    for (const { page, offered, typed } of cases) {
      const form = travelForm((await browser.get(`/web/plans/dorset/changes?${page}`)).body);
      expect(form.fields, page).toEqual([offered]);
      // What it offers, it takes.
      const sent = await browser.get(form.sent({ [offered]: typed }));
      expect(sent.statusCode, page).toBe(200);
      expect(sent.body, page).not.toContain('nhsuk-error-summary');
    }
    // Without dates to compare yet, both: the comparison form keeps the one that goes with the way chosen.
    expect(travelForm((await browser.get('/web/plans/dorset/changes')).body).fields).toEqual(['asOf', 'effectiveOn']);
    // A date of the other clock already in the address is refused, and shown at its field to be cleared.
    const misplaced = await browser.get('/web/plans/dorset/changes?from=2017-03-31&to=2017-06-30&asOf=2017-06-01');
    expect(misplaced.statusCode).toBe(400);
    expect(misplaced.body).toContain('href="#asOf"');
    const form = travelForm(misplaced.body);
    expect(form.fields).toEqual(['asOf', 'effectiveOn']);
    expect(form.valueOf('asOf')).toBe('2017-06-01');
    // The date refused is not the page's: no banner of the past, no clock in its title, and no link carries it.
    expect(misplaced.body).not.toContain('You are looking at the past');
    expect(/<title>([^<]*)<\/title>/.exec(misplaced.body)![1]).not.toMatch(/June 2017|as recorded/);
    expect(misplaced.body).not.toMatch(/href="[^"]*asOf=/);
    // The other date is judged on its own, not against the date refused: July 2017 is not after a ledger date set aside.
    const beside = await browser.get('/web/plans/dorset/changes?from=2017-03-31&to=2017-06-30&asOf=2017-06-01&effectiveOn=2017-07');
    expect(beside.statusCode).toBe(400);
    expect([...beside.body.matchAll(/<a href="#([^"]+)">/g)].map(([, field]) => field)).toEqual(['asOf']);
    expect(beside.body).not.toContain('must not be after the date the ledger said it at');
    expect(/<title>([^<]*)<\/title>/.exec(beside.body)![1]).toContain('July 2017');
    // The clock refused is refused once, at its field, however many names spell it.
    const twice = await browser.get('/web/plans/dorset/changes?from=2017-03-31&to=2017-06-30&asOf=2017-06-01&as-of=2017-06-01');
    expect(twice.statusCode).toBe(400);
    expect([...twice.body.matchAll(/<a href="#([^"]+)">/g)].map(([, field]) => field)).toEqual(['asOf']);
    const effective = await browser.get('/web/plans/dorset/changes?clock=effective&from=2017-03-31&to=2017-06-30&effectiveOn=2017-04');
    expect(effective.statusCode).toBe(400);
    expect(effective.body).toContain('href="#effectiveOn"');
    expect(effective.body).not.toContain('You are looking at the past');
    expect(/<title>([^<]*)<\/title>/.exec(effective.body)![1]).not.toMatch(/April 2017|what was true/);
    expect(effective.body).not.toMatch(/href="[^"]*effectiveOn=/);
    expect(await ledger.store.count()).toBe(before);
  });

  it('says in its banner that, compared as the ledger recorded it at a business date, the ledger is read at from and at to, not now', async () => {
    const { browser } = await boardYear();
    const banner = async (query: string) => {
      const html = (await browser.get(`/web/plans/dorset/changes?${query}`)).body.replaceAll('&#39;', "'");
      const start = html.indexOf('nhsuk-notification-banner__heading');
      return html
        .slice(start, html.indexOf('See this page as it is today', start))
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ');
    };
    const compared = await banner('effectiveOn=2017-03&from=2017-03-09&to=2017-06-30');
    expect(compared).toContain(
      'This page shows what was true by the end of March 2017, as the ledger stood at the end of 9 March 2017 and at the end of 30 June 2017.',
    );
    expect(compared).not.toContain('as the ledger knows it now');
    // A `to` of today is read as the ledger time now, and named so.
    expect(await banner('effectiveOn=2017-03&from=2017-03-09&to=2017-07-01')).toContain(
      'as the ledger stood at the end of 9 March 2017 and now (1 July 2017 at 11:00:00 BST).',
    );
    // Without a comparison, or compared by the dates things happened, the page is read at the ledger now.
    expect(await banner('effectiveOn=2017-03')).toContain('by the end of March 2017, as the ledger knows it now.');
    expect(await banner('asOf=2017-06-01&from=2017-03&to=2017-05&clock=effective')).toContain(
      'This page shows what the ledger said at the end of 1 June 2017.',
    );
  });
});
