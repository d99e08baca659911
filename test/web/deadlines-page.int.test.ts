import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { firstDayOf, lastDayOf } from '../../events/business-date.ts';
import { planStream } from '../../events/streams.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { makeEvent } from '../support/events.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();
const openWeb = async () => {
  const ledger = await open({}, { web: {} });
  await seedDorsetPlan(ledger);
  return ledger;
};
const viewerOf = async (ledger: SecuredLedger) => {
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
  return browser;
};

/** The value a page's text field shows. */
const fieldValue = (html: string, name: string) => new RegExp(`name="${name}" type="text" value="([^"]*)"`).exec(html)?.[1];
/** The href of the time-travel banner's way back to today, as a browser reads it. */
const presentLink = (html: string) =>
  /<a class="nhsuk-notification-banner__link" href="([^"]*)">See this page as it is today<\/a>/.exec(html)?.[1]?.replaceAll('&amp;', '&');
describe('the deadlines page', () => {
  it("shows the API's period when none is asked for, the quarter holding 'today' at the clocks, and says so", async () => {
    const ledger = await openWeb();
    const api = await ledger.keyFor('viewer');
    const browser = await viewerOf(ledger);
    for (const clocks of ['', '?effectiveOn=2016-02', '?effectiveOn=2015-08-15']) {
      const answer = (await ledger.call(api, { method: 'GET', url: `/reports/deadlines${clocks}` })).json() as {
        period: string;
        from: string;
        to: string;
        actions: { ref: string }[];
      };
      expect(answer.period).toBe('current-quarter');
      const page = await browser.get(`/web/reports/deadlines${clocks}`);
      expect(page.statusCode).toBe(200);
      const from = fieldValue(page.body, 'from')!;
      const to = fieldValue(page.body, 'to')!;
      expect({ from: firstDayOf(from), to: lastDayOf(to) }, clocks).toEqual({ from: answer.from, to: answer.to });
      expect(page.body).toContain('No period was chosen, so this shows');
      for (const { ref } of answer.actions) expect(page.body).toContain(`/actions/${ref}`);
    }
    const february = await browser.get('/web/reports/deadlines?effectiveOn=2016-02');
    expect(february.body).toContain('<h2 class="nhsuk-heading-m">January 2016 to March 2016</h2>');
    expect(february.body).toContain('the calendar quarter holding 29 February 2016, the day this page looks back to');
    // Asked for, the period is the one asked: nothing to explain.
    const asked = await browser.get('/web/reports/deadlines?from=2015-01&to=2016-12');
    expect(asked.body).not.toContain('No period was chosen');
  });

  it('refuses one end of the period without the other, as the API does, pointing at the missing field', async () => {
    const ledger = await openWeb();
    const browser = await viewerOf(ledger);
    const page = await browser.get('/web/reports/deadlines?from=2015-01');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('href="#to"');
    expect(page.body).toMatch(/id="to-error"[^]*Enter to as well as from, or neither for the current quarter/);
    expect(fieldValue(page.body, 'from')).toBe('2015-01');
  });

  it('says no plan names an organisation asked for by an address, as the API answers 404, rather than show a report of noughts', async () => {
    const ledger = await openWeb();
    const browser = await viewerOf(ledger);
    const page = await browser.get('/web/reports/deadlines?from=2015-01&to=2016-12&organisation=Nobody+Trust&effectiveOn=2015-08');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('href="#organisation"');
    expect(page.body).toContain(
      'No action or recommendation of any plan names an organisation called Nobody Trust by the end of August 2015: choose one from the list',
    );
    expect(page.body).not.toContain('<table'); // no report of noughts
    // The message is beside the field the summary links to, which still holds the organisation asked for.
    expect(page.body).toMatch(/nhsuk-form-group--error">\s*<label class="nhsuk-label" for="organisation">/);
    expect(page.body).toMatch(/<span class="nhsuk-error-message" id="organisation-error">[^<]*<span[^>]*>Error:<\/span> No action/);
    expect(page.body).toMatch(
      /<select class="nhsuk-select nhsuk-select--error" id="organisation"[^>]*aria-describedby="organisation-hint organisation-error"/,
    );
    expect(page.body).toContain('<option value="Nobody Trust" selected>Nobody Trust</option>');
    const csv = await browser.get('/web/reports/deadlines.csv?from=2015-01&to=2016-12&organisation=Nobody+Trust');
    expect(csv.statusCode).toBe(404);
    expect(csv.body).toContain('No such organisation');
    // A name with a control character names nothing: refused as the API refuses it (400), not looked for.
    const control = await browser.get('/web/reports/deadlines?organisation=Dorset%1BPolice');
    expect(control.statusCode).toBe(400);
    expect(control.body).toContain('The organisation must not hold control characters');
    expect(control.body).not.toContain('No action or recommendation of any plan names');
    // Any of an organisation's names finds it.
    expect((await browser.get('/web/reports/deadlines?from=2015-01&to=2016-12&organisation=Dorset+Police')).statusCode).toBe(200);
  });

  it('keeps the period and organisation asked for on its way back to today, in its error state and with a refused date, but not a quarter taken for want of one', async () => {
    const ledger = await openWeb();
    const browser = await viewerOf(ledger);
    const asked = 'from=2015-01&to=2016-12&organisation=Dorset+Police';
    const page = await browser.get(`/web/reports/deadlines?${asked}&effectiveOn=2015-08`);
    expect(page.statusCode).toBe(200);
    expect(presentLink(page.body)).toBe(`/web/reports/deadlines?${asked}`);
    const refused = await browser.get('/web/reports/deadlines?from=2017-13&to=2016-12&organisation=Dorset+Police&effectiveOn=2015-08');
    expect(refused.statusCode).toBe(400);
    expect(presentLink(refused.body)).toBe('/web/reports/deadlines?from=2017-13&to=2016-12&organisation=Dorset+Police');
    expect(fieldValue(refused.body, 'from')).toBe('2017-13');
    expect(refused.body).toContain('<option value="Dorset Police" selected>');
    // A date that does not exist is refused, and the form to correct it keeps the period and organisation.
    const badDate = await browser.get(`/web/reports/deadlines?${asked}&asOf=2017-02-30`);
    expect(badDate.statusCode).toBe(400);
    for (const [name, value] of [
      ['from', '2015-01'],
      ['to', '2016-12'],
      ['organisation', 'Dorset Police'],
    ])
      expect(badDate.body).toContain(`<input type="hidden" name="${name}" value="${value}">`);
    expect(badDate.body).not.toContain('type="hidden" name="asOf"');
    // The quarter holding 29 February 2016 is not today's: the way back shows today's.
    expect(presentLink((await browser.get('/web/reports/deadlines?effectiveOn=2016-02')).body)).toBe('/web/reports/deadlines');
  });

  it('names the exact ledger time and the organisation of a CSV in its file name, safe for file systems, and carries the clocks, the period and the organisation on every row', async () => {
    const ledger = await openWeb();
    const browser = await viewerOf(ledger);
    const download = async (url: string) => {
      const res = await browser.get(url);
      expect(res.statusCode, url).toBe(200);
      const name = /filename="([^"]+)"/.exec(String(res.headers['content-disposition']))![1]!;
      return { name, rows: parse(res.body, { columns: true }) as Record<string, string>[], header: res.body.split('\n')[0] };
    };
    await new Promise((resolve) => setTimeout(resolve, 5));
    const first = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = new Date().toISOString();
    const fileSafe = (instant: string) => instant.replace(/\.000Z$/, 'Z').replaceAll(':', '-');
    const period = 'from=2015-01&to=2016-12';
    const atFirst = await download(`/web/reports/deadlines.csv?${period}&asOf=${encodeURIComponent(first)}`);
    const atSecond = await download(`/web/reports/deadlines.csv?${period}&asOf=${encodeURIComponent(second)}&effectiveOn=2015-08`);
    expect(atFirst.name).toBe(`deadlines-2015-01-to-2016-12-as-of-${fileSafe(first)}.csv`);
    expect(atSecond.name).toBe(`deadlines-2015-01-to-2016-12-as-of-${fileSafe(second)}-true-on-2015-08.csv`);
    expect(atFirst.name).not.toMatch(/[:/\\]/);
    expect(atFirst.header).toBe(
      'plan_id,plan,action,text,lead,outcome,original_deadline,current_deadline,completed_on,closed_as,closed_on,closed_after_deadline,' +
        'closure_recorded_after_deadline,revisions,period_from,period_to,organisation,as_of,effective_on',
    );
    expect(atFirst.rows.length).toBeGreaterThan(0);
    for (const row of atFirst.rows)
      expect(row).toMatchObject({ period_from: '2015-01-01', period_to: '2016-12-31', organisation: '', as_of: first, effective_on: '' });
    for (const row of atSecond.rows) expect(row).toMatchObject({ as_of: second, effective_on: '2015-08' });
    // Limited to one organisation, the file and every row name it as the report does.
    const forPolice = await download(`/web/reports/deadlines.csv?${period}&organisation=Dorset+Police&asOf=${encodeURIComponent(first)}`);
    expect(forPolice.name).toBe(`deadlines-2015-01-to-2016-12-for-Dorset-Police-as-of-${fileSafe(first)}.csv`);
    expect(forPolice.rows.length).toBeGreaterThan(0);
    expect(forPolice.rows.length).toBeLessThan(atFirst.rows.length);
    for (const row of forPolice.rows) expect(row).toMatchObject({ organisation: 'Dorset Police' });
    // A day asked for names that day, which means one instant: the end of that London day.
    expect((await download(`/web/reports/deadlines.csv?${period}&asOf=2016-07-01`)).name).toBe(
      'deadlines-2015-01-to-2016-12-as-of-2016-07-01.csv',
    );
    // Today's ledger is read at the moment of the download, and the file names that moment.
    const before = new Date().toISOString();
    const today = await download(`/web/reports/deadlines.csv?${period}`);
    const after = new Date().toISOString();
    const asOf = today.rows[0]!.as_of!;
    expect(asOf >= before && asOf <= after, `${before} <= ${asOf} <= ${after}`).toBe(true);
    expect(today.name).toBe(`deadlines-2015-01-to-2016-12-as-of-${fileSafe(asOf)}.csv`);
    expect(today.rows.map((r) => r.action)).toEqual(atFirst.rows.map((r) => r.action));
  });

  it("reads today's CSV at the ledger's time when its last entry was stamped by a clock ahead of this instance's", async () => {
    const ledger = await openWeb();
    const browser = await viewerOf(ledger);
    // Another instance, its clock two minutes ahead, agreed an action: the ledger's time is now its.
    const ahead = new Date(Date.now() + 120_000).toISOString();
    const event = makeEvent({
      type: 'ActionAgreed',
      schemaVersion: 2,
      recordedAt: ahead,
      effectiveOn: { date: '2015-07', precision: 'month' },
      data: {
        ref: '9.9',
        text: 'Agreed by another instance',
        leadOrganisations: ['Dorset Police'],
        partnerOrganisations: [],
        recommendationRefs: [],
        intendedOutcomes: [],
        relatedActionRefs: [],
        due: { kind: 'date', date: '2016-01', wording: 'January 2016' },
      },
    });
    const { lastPosition } = await ledger.store.append({
      stream: planStream('dorset'),
      events: [event],
      expectedRevision: 'any',
      commandId: event.commandId,
    });
    // The live page reads the views as they stand: let them take the entry in first.
    expect(await ledger.readModels.runner.waitFor(lastPosition, 5000)).toBe(true);
    const page = await browser.get('/web/reports/deadlines?from=2015-01&to=2016-12');
    expect(page.body).toContain('Agreed by another instance');
    const csv = await browser.get('/web/reports/deadlines.csv?from=2015-01&to=2016-12');
    expect(csv.statusCode).toBe(200);
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.action)).toContain('9.9');
    for (const row of rows) expect(row.as_of).toBe(ahead);
    expect(String(csv.headers['content-disposition'])).toContain(`-as-of-${ahead.replace(/\.000Z$/, 'Z').replaceAll(':', '-')}`);
  });

  it('says beside a revision agreed after its deadline had passed that it was, in the API, the page and the CSV, and "then" at a past date', async () => {
    const ledger = await openWeb();
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const revise = async (ref: string, to: string, effectiveOn: string) => {
      const res = await ledger.call(manager, {
        method: 'POST',
        url: `/plans/dorset/actions/${ref}/deadline-revisions`,
        payload: { to: { kind: 'date', date: to }, reason: 'The board agreed a new date', effectiveOn },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await revise('2.1', '2017-03', '2016-09'); // six months after March 2016 had passed
    await revise('1.3', '2016-06', '2015-10'); // within October 2015, its deadline's month
    // The views take the revisions in before they are read.
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const api = await ledger.keyFor('viewer');
    type Row = { ref: string; outcome: string; revisions: { agreedAfterDeadline: boolean; recordedAt: string }[] };
    const rows = (await ledger.call(api, { method: 'GET', url: '/reports/deadlines?from=2015-10&to=2016-03' })).json().actions as Row[];
    const byRef = Object.fromEntries(rows.map((r) => [r.ref, r]));
    expect(byRef['2.1']).toMatchObject({ outcome: 'revised', revisions: [{ agreedAfterDeadline: true }] });
    expect(byRef['1.3']).toMatchObject({ outcome: 'revised', revisions: [{ agreedAfterDeadline: false }] });

    const browser = await viewerOf(ledger);
    const page = await browser.get('/web/reports/deadlines?from=2015-10&to=2016-03');
    const rowOf = (html: string, ref: string) =>
      html.split('<tr class="nhsuk-table__row">').find((r) => new RegExp(`/actions/${ref}["?]`).test(r))!;
    expect(rowOf(page.body, '2.1')).toContain('After the deadline</strong> agreed after March 2016 had passed');
    expect(rowOf(page.body, '1.3')).not.toContain('After the deadline');
    expect(rowOf(page.body, '2.1')).toContain('First March 2016, now March 2017');
    const past = await browser.get('/web/reports/deadlines?from=2015-10&to=2016-03&effectiveOn=2016-12');
    expect(rowOf(past.body, '2.1')).toContain('First March 2016, then March 2017');

    const csv = parse((await browser.get('/web/reports/deadlines.csv?from=2015-10&to=2016-03')).body, { columns: true }) as Record<
      string,
      string
    >[];
    const revisions = Object.fromEntries(csv.map((r) => [r.action, r.revisions]));
    expect(revisions['2.1']).toMatch(
      /^2016-09: March 2016 -> March 2017 because The board agreed a new date; recorded \S+Z by .+; agreed after the deadline had passed$/,
    );
    expect(revisions['1.3']).not.toContain('agreed after');
  });

  it('weighs a revision against the deadline in force when it was agreed, as corrections since left it', async () => {
    const ledger = await openWeb();
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const post = async (url: string, payload: object) => {
      const res = await ledger.call(manager, { method: 'POST', url, payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { eventIds: string[] };
    };
    const revise = (to: string, effectiveOn: string) =>
      post('/plans/dorset/actions/2.1/deadline-revisions', { to: { kind: 'date', date: to }, reason: 'Slipped', effectiveOn });
    const first = (await revise('2016-06', '2016-01')).eventIds[0]!;
    await revise('2017-03', '2016-09'); // after June 2016 had passed
    const api = await ledger.keyFor('viewer');
    type Revision = { agreedAfterDeadline: boolean; deadlineInForce: { date: string } };
    const revisions = async () => {
      expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
      const rows = (await ledger.call(api, { method: 'GET', url: '/reports/deadlines?from=2016-01&to=2016-03' })).json().actions as {
        ref: string;
        revisions: Revision[];
      }[];
      return rows.find((r) => r.ref === '2.1')!.revisions.map((r) => [r.deadlineInForce.date, r.agreedAfterDeadline]);
    };
    expect(await revisions()).toEqual([
      ['2016-03', false],
      ['2016-06', true],
    ]);
    // The first revision is corrected to December 2016: the second was agreed before that had passed.
    await post('/plans/dorset/corrections', {
      correctedEventId: first,
      changes: { to: { kind: 'date', date: '2016-12' } },
      reason: 'Minutes',
    });
    expect(await revisions()).toEqual([
      ['2016-03', false],
      ['2016-12', false],
    ]);
  });
});
