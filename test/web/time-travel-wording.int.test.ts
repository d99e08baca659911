import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';
import { londonDay } from '../../src/domain/calendar.ts';

const open = useSecuredLedger();
afterEach(() => vi.useRealTimers());
const openWeb = async () => {
  const ledger = await open({}, { web: {} });
  const { manager } = await seedDorsetPlan(ledger);
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('auditor', 'Dorset CCG'));
  return { ledger, manager, browser };
};

/** The sentence a page that found nothing gives as its reason (refused.njk), not the banner above it. */
const reason = (html: string) => /<p class="nhsuk-body-l">([^<]*)<\/p>/.exec(html)?.[1] ?? '';
/** The link a retracted plan's page gives to it as it stood before, as an address. */
const beforeRetraction = (html: string) =>
  new URL(/href="([^"]+)">see the plan as it stood before it was retracted/.exec(html)![1]!.replaceAll('&amp;', '&'), 'http://page');

describe('what a time-travelled page says about its own date', () => {
  it("names the day an action's page looks back to as the date shown in its calendar, and today only in the present", async () => {
    const { ledger, manager, browser } = await openWeb();
    const revised = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/deadline-revisions',
      payload: {
        to: { kind: 'date', date: '2018-03', wording: 'March 2018' },
        reason: 'Funding bid',
        agreedBy: 'Board',
        effectiveOn: '2015-07',
      },
    });
    expect(revised.statusCode, revised.body).toBe(201);
    const past = await browser.get('/web/plans/dorset/actions/1.3?effectiveOn=2015-08');
    expect(past.statusCode).toBe(200);
    expect(past.body).toContain('You are looking at the past');
    expect(past.body).not.toContain('Today is 31 August 2015');
    expect(past.body).toContain('This page shows it as it stood on 31 August 2015.');
    expect(past.body).toContain('<title>Date shown 31 August 2015</title>');
    expect(past.body).toContain('Dashed line: the day this page looks back to.');
    expect(past.body).toContain('Deadline then');
    expect(past.body).toContain('the deadline was revised once, and was then March 2018');
    const present = await browser.get('/web/plans/dorset/actions/1.3');
    expect(present.body).toContain('Dashed line: today.');
    expect(present.body).toMatch(/Today is \d{1,2} \w+ \d{4}\./);
    expect(present.body).toContain('Deadline now');
    expect(present.body).toContain('the deadline was revised once, and is now March 2018');
  });

  it("says a page read at today's business date shows today, by the dates things happened, and not the past", async () => {
    const { browser } = await openWeb();
    const today = londonDay(new Date());
    for (const effectiveOn of [today, today.slice(0, 7)]) {
      const page = await browser.get(`/web/plans/dorset?effectiveOn=${effectiveOn}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('You are looking at today, by the dates things happened');
      expect(page.body).not.toContain('You are looking at the past');
    }
    // The day before today, or today as the ledger stood at an earlier moment, is the past.
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect((await browser.get(`/web/plans/dorset?effectiveOn=${yesterday}`)).body).toContain('You are looking at the past');
  });

  it("says the deadline in force now, and the quarter shown by default today's, at today's business date, as the live page does, and then only at a past date", async () => {
    const { ledger, manager, browser } = await openWeb();
    const revised = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/deadline-revisions',
      payload: { to: { kind: 'date', date: '2018-03', wording: 'March 2018' }, reason: 'Funding bid', effectiveOn: '2015-07' },
    });
    expect(revised.statusCode, revised.body).toBe(201);
    // The live page reads the read models, which follow the ledger a moment behind.
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const today = londonDay(new Date());
    for (const query of ['', `?effectiveOn=${today}`, `?effectiveOn=${today.slice(0, 7)}`]) {
      const action = await browser.get(`/web/plans/dorset/actions/1.3${query}`);
      expect(action.statusCode, query).toBe(200);
      expect(action.body, query).toContain('Deadline now');
      expect(action.body, query).not.toContain('Deadline then');
      expect(action.body, query).toContain('the deadline was revised once, and is now March 2018');
      expect(action.body, query).toContain('Dashed line: today.');
      expect((await browser.get(`/web/plans/dorset${query}`)).body, query).toMatch(/; now <strong>March 2018/);
      const report = await browser.get(`/web/reports/deadlines?from=2015-01&to=2018-12${query.replace('?', '&')}`);
      expect(report.body, query).toContain(', now March 2018');
      // With no period chosen, the quarter is today's, and the form says the same of an empty period.
      const quarter = await browser.get(`/web/reports/deadlines${query}`);
      expect(quarter.body, query).toContain('this shows the current quarter: the calendar quarter holding today, ');
      expect(quarter.body, query).toContain('leave both empty for the current quarter</div>');
      expect(quarter.body, query).not.toContain('looks back to');
    }
    // A day before today is the past: the deadline is the one in force then.
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const past = await browser.get(`/web/plans/dorset/actions/1.3?effectiveOn=${yesterday}`);
    expect(past.body).toContain('Deadline then');
    expect((await browser.get(`/web/plans/dorset?effectiveOn=${yesterday}`)).body).toMatch(/; then <strong>March 2018/);
    expect((await browser.get(`/web/reports/deadlines?from=2015-01&to=2018-12&effectiveOn=${yesterday}`)).body).toContain(
      ', then March 2018',
    );
    const pastQuarter = (await browser.get(`/web/reports/deadlines?effectiveOn=${yesterday}`)).body;
    expect(pastQuarter).toContain(', the day this page looks back to. Choose a period');
    expect(pastQuarter).toContain('leave both empty for the quarter holding the day this page looks back to</div>');
  });

  it("names a page's dates in its title as a part of its own, never in brackets inside brackets", async () => {
    const { browser } = await openWeb();
    const today = londonDay(new Date());
    // The month so far is named with the day it is counted to, in brackets of its own.
    const page = await browser.get(`/web/plans/dorset?effectiveOn=${today.slice(0, 7)}`);
    expect(page.statusCode).toBe(200);
    const title = /<title>([^<]*)<\/title>/.exec(page.body)![1]!;
    expect(title).toMatch(
      /^Dorset Crisis Care Concordat action plan – what was true so far in \w+ \d{4} \(to [^()]+\) – Assurance Ledger$/,
    );
    expect(title).not.toMatch(/\([^)]*\(/);
  });

  it('says a plan had not been registered by the business date, or recorded by the ledger time, asked about on its progress page, as its plan page does', async () => {
    const { browser } = await openWeb();
    const plan = await browser.get('/web/plans/dorset?effectiveOn=2015-02');
    expect(plan.statusCode).toBe(404);
    expect(reason(plan.body)).toBe('No plan with this name had been registered by the end of February 2015.');
    const progress = await browser.get('/web/plans/dorset/progress?effectiveOn=2015-02');
    expect(progress.statusCode).toBe(404);
    expect(reason(progress.body)).toBe('No plan with this name had been registered by the end of February 2015.');
    const atLedgerTime = await browser.get('/web/plans/dorset/progress?asOf=2020-01-01');
    expect(atLedgerTime.statusCode).toBe(404);
    expect(reason(atLedgerTime.body)).toBe('No plan with this name had been recorded by the end of 1 January 2020.');
    // Another date can be tried from the page that found nothing at this one.
    for (const page of [plan, progress, atLedgerTime]) expect(page.body).toContain('See this page as it stood on an earlier date');
    expect((await browser.get('/web/plans/no-such-plan')).body).not.toContain('See this page as it stood on an earlier date');
  });

  it("says at which date no plan named an organisation, as the API's 404 does, and says so on an empty list", async () => {
    const { ledger, browser } = await openWeb();
    const viewer = await ledger.keyFor('viewer', 'Dorset CCG');
    const api = await ledger.call(viewer, { method: 'GET', url: '/organisations/Dorset%20Police?asOf=2020-01-01' });
    expect(api.statusCode).toBe(404);
    expect(api.json().detail).toContain('as of 2020-01-01');
    const page = await browser.get('/web/organisations/Dorset%20Police?asOf=2020-01-01');
    expect(page.statusCode).toBe(404);
    expect(reason(page.body)).toContain('as the ledger stood at the end of 1 January 2020');
    const list = await browser.get('/web/organisations?asOf=2020-01-01');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('No action or recommendation of any plan had named an organisation by the end of 1 January 2020.');
    expect(list.body).not.toContain('<table');
  });

  it('links a retracted plan to the same page as it stood before its retraction, at the same business date', async () => {
    const { ledger, manager, browser } = await openWeb();
    const retracted = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/retraction',
      payload: { reason: 'Imported by mistake' },
    });
    expect(retracted.statusCode, retracted.body).toBe(201);
    for (const path of ['/web/plans/dorset', '/web/plans/dorset/actions/1.3', '/web/plans/dorset/progress']) {
      const page = await browser.get(`${path}?effectiveOn=2015-08`);
      expect(page.statusCode, path).toBe(410);
      const link = beforeRetraction(page.body);
      expect(link.pathname).toBe(path);
      expect(link.searchParams.get('effectiveOn')).toBe('2015-08');
      const before = await browser.get(`${link.pathname}${link.search}`);
      expect(before.statusCode, `${link}`).toBe(200);
    }
  });

  it('names a plan recorded by the ledger date but registered after the business date by the business date, as known then', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2024-01-10T12:00:00Z') });
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    vi.setSystemTime(new Date('2024-03-01T12:00:00Z'));
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('auditor', 'Dorset CCG'));
    for (const path of ['/web/plans/dorset', '/web/plans/dorset/progress']) {
      const page = await browser.get(`${path}?asOf=2024-02-01&effectiveOn=2015-02-10`);
      expect(page.statusCode, path).toBe(404);
      expect(reason(page.body), path).toBe(
        'No plan with this name had been registered by 10 February 2015, as the ledger knew it at the end of 1 February 2024.',
      );
    }
  });

  it('keeps a business date on the link to a retracted plan only where the ledger before the retraction can be read at it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2024-01-10T12:00:00Z') });
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    vi.setSystemTime(new Date('2024-01-10T12:05:00Z'));
    const retracted = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/retraction',
      payload: { reason: 'Imported by mistake' },
    });
    expect(retracted.statusCode, retracted.body).toBe(201);
    vi.setSystemTime(new Date('2024-03-01T12:00:00Z'));
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('auditor', 'Dorset CCG'));
    for (const [effectiveOn, kept] of [
      ['2024-02', null],
      ['2024-01', '2024-01'],
      ['2015-08', '2015-08'],
    ] as const) {
      const page = await browser.get(`/web/plans/dorset?effectiveOn=${effectiveOn}`);
      expect(page.statusCode).toBe(410);
      const link = beforeRetraction(page.body);
      expect(link.searchParams.get('effectiveOn'), effectiveOn).toBe(kept);
      expect((await browser.get(`${link.pathname}${link.search}`)).statusCode, `${link}`).toBe(200);
    }
  });

  it('names every date it cannot read at once, each at its field', async () => {
    const { ledger, browser } = await openWeb();
    const before = await ledger.store.count();
    const page = await browser.get('/web/plans/dorset?asOf=2017-02-30&effectiveOn=2017-13');
    expect(page.statusCode).toBe(400);
    expect(/<title>([^<]*)<\/title>/.exec(page.body)?.[1]).toBe('Error: Dorset Crisis Care Concordat action plan – Assurance Ledger');
    const summary = [...page.body.matchAll(/<a href="#(asOf|effectiveOn)">/g)].map((m) => m[1]);
    expect(summary).toEqual(['asOf', 'effectiveOn']);
    expect(page.body).toContain('id="asOf-error"');
    expect(page.body).toContain('id="effectiveOn-error"');
    // A business date after today is named beside a ledger date that is no date, though it is only refused against today.
    const future = await browser.get('/web/plans/dorset?asOf=2017-02-30&effectiveOn=2099-01');
    expect(future.statusCode).toBe(400);
    expect([...future.body.matchAll(/<a href="#(asOf|effectiveOn)">/g)].map((m) => m[1])).toEqual(['asOf', 'effectiveOn']);
    expect(future.body).toContain('What was true on must be today or earlier');
    expect(await ledger.store.count()).toBe(before);
  });

  it("keeps a page's own name in its title and heading where a date cannot be read, saying the error in its summary and at the field", async () => {
    const { browser } = await openWeb();
    for (const [path, name] of [
      ['/web/plans/dorset', 'Dorset Crisis Care Concordat action plan'],
      ['/web/plans/dorset/actions/1.3', 'Action 1.3'],
      ['/web/plans/dorset/history?order=effective', 'History of Dorset Crisis Care Concordat action plan'],
      ['/web/reports/deadlines?from=2015-01&to=2016-12', 'Deadlines report'],
      ['/web', 'Plans'],
    ] as const) {
      const page = await browser.get(`${path}${path.includes('?') ? '&' : '?'}asOf=2017-02-30`);
      expect(page.statusCode, path).toBe(400);
      const title = /<title>([^<]*)<\/title>/.exec(page.body)![1]!;
      expect(title, path).toMatch(/^Error: [^–]+ – Assurance Ledger$/);
      expect(title, path).not.toContain('not valid');
      expect(/<h1[^>]*>([^<]*)</.exec(page.body)?.[1]?.trim(), path).toBe(name);
      expect(page.body, path).toContain('There is a problem');
      expect(page.body, path).toMatch(/<a href="#asOf">\s*Enter a real date for what the ledger said/);
      expect(page.body, path).toMatch(/id="asOf-error"><span class="nhsuk-u-visually-hidden">Error:<\/span> Enter a real date/);
      expect(page.body, path).toContain('name="asOf" type="text" aria-describedby="asOf-hint asOf-error" value="2017-02-30"');
      expect(page.body, path).not.toContain('You are looking at the past');
    }
    // A download has no page of its own to say it on: a page says why.
    const csv = await browser.get('/web/reports/deadlines.csv?from=2015-01&to=2016-12&asOf=2017-02-30');
    expect(csv.statusCode).toBe(400);
    expect(csv.headers['content-type']).toContain('text/html');
    expect(csv.body).toContain('That date is not valid');
  });

  it('asks for one date where a clock is given twice, on either clock, rather than for a real date', async () => {
    const { ledger, browser } = await openWeb();
    const before = await ledger.store.count();
    for (const [query, says] of [
      ['asOf=2017-03-31&asOf=2017-04-30', 'Enter one date for what the ledger said'],
      ['effectiveOn=2017-03&effectiveOn=2017-04', 'Enter one date for what was true on'],
    ] as const) {
      const page = await browser.get(`/web/plans/dorset?${query}`);
      expect(page.statusCode, query).toBe(400);
      expect(page.body, query).toContain(says);
      expect(page.body, query).not.toContain('as a real day');
    }
    expect(await ledger.store.count()).toBe(before);
  });

  it('reads a date with spaces around it on either clock, as a form sends what was typed', async () => {
    const { browser } = await openWeb();
    const page = await browser.get(
      `/web/plans/dorset?asOf=${encodeURIComponent(' 2030-01-01 ')}&effectiveOn=${encodeURIComponent(' 2015-08 ')}`,
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('by the end of August 2015');
  });

  it('says a ledger date still to come is read as now, rather than show the present without a word', async () => {
    const { browser } = await openWeb();
    const page = await browser.get('/web/plans/dorset?asOf=2099-03-31');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      'You asked what the ledger said at the end of 31 March 2099, which is still to come, so this page shows the ledger as it stands now.',
    );
    expect(page.body).not.toContain('You are looking at the past');
    expect((await browser.get('/web/plans/dorset')).body).not.toContain('which is still to come');
  });
});
