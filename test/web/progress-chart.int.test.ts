import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { computedStatuses } from '../../src/presentation/format.ts';
import { browserFor, dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();

/** The figures table of the progress page: one row per column, date first, then the count under each status. */
const rows = (html: string) =>
  [...html.matchAll(/<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">([^<]+)<\/td>(.*?)<\/tr>/g)].map((m) => ({
    date: m[1]!,
    counts: [...m[2]!.matchAll(/>(\d+)</g)].map((c) => Number(c[1])),
  }));

describe('the progress chart reads the clock the page is read at', () => {
  it('on the business clock, its columns are month ends from the plan’s registration to effectiveOn, each as true on that date', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    // Completed in August 2017, recorded today: the business clock places it in 2017.
    const done = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/2.1/completion',
      payload: { completedOn: '2017-08' },
    });
    expect(done.statusCode, done.body).toBe(201);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));

    const business = await browser.get('/web/plans/dorset/progress?effectiveOn=2017-12');
    expect(business.statusCode).toBe(200);
    expect(business.body).toContain('What was true of');
    const columns = rows(business.body);
    expect(columns.length).toBeLessThanOrEqual(24);
    expect(columns[0]!.date).toMatch(/ 2015$/);
    expect(columns.at(-1)!.date).toBe('31 December 2017');
    const total = (c: { counts: number[] }) => c.counts.reduce((a, b) => a + b, 0);
    expect(columns.every((c) => total(c) === 2)).toBe(true);
    // Completed late (due March 2016) in August 2017: not yet at the end of July, from the end of August on.
    const late = computedStatuses.indexOf('completed-late');
    const lastColumn = async (effectiveOn: string) =>
      rows((await browser.get(`/web/plans/dorset/progress?effectiveOn=${effectiveOn}`)).body).at(-1)!;
    expect(await lastColumn('2017-07')).toMatchObject({ date: '31 July 2017' });
    expect((await lastColumn('2017-07')).counts[late]).toBe(0);
    expect(await lastColumn('2017-08')).toMatchObject({ date: '31 August 2017' });
    expect((await lastColumn('2017-08')).counts[late]).toBe(1);
    expect(columns.at(-1)!.counts[late]).toBe(1);

    const ledgerClock = await browser.get('/web/plans/dorset/progress');
    expect(ledgerClock.body).toContain('What the ledger said about');
    // Everything was recorded this month: the ledger clock has a single column, today.
    expect(rows(ledgerClock.body)).toHaveLength(1);
  });

  it('on the business clock before the plan was registered there is no chart, as there is no plan', async () => {
    const { browser } = await dorsetSignedIn(open, 'viewer', 'Dorset CCG');
    const res = await browser.get('/web/plans/dorset/progress?effectiveOn=2015-01');
    expect(res.statusCode).toBe(404);
  });
});
