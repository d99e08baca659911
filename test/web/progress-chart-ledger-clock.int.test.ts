import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();
afterEach(() => vi.useRealTimers());

/** The progress page's figures table: one row per column, its date, then the count under each status. */
const rows = (html: string) =>
  [...html.matchAll(/<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">([^<]+)<\/td>(.*?)<\/tr>/g)].map((m) => ({
    date: m[1]!,
    counts: [...m[2]!.matchAll(/>(\d+)</g)].map((c) => Number(c[1])),
  }));
const columnDates = (html: string) => rows(html).map((r) => r.date);

describe('the progress chart on the ledger clock', () => {
  it('has a column at the end of each London month, in summer time too, named by its last day, and none twice', async () => {
    // Recorded in British Summer Time: a month's end in London is 23:00 UTC on its last day.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2024-05-20T12:00:00Z') });
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    // Noon on 1 June in London: not part of what the ledger said at the end of May.
    vi.setSystemTime(new Date('2024-06-01T11:00:00Z'));
    const done = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/2.1/completion',
      payload: { completedOn: '2024-06-01' },
    });
    expect(done.statusCode, done.body).toBe(201);
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    vi.setSystemTime(new Date('2024-08-10T12:00:00Z'));
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));

    const page = await browser.get('/web/plans/dorset/progress');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('What the ledger said about');
    const dates = columnDates(page.body);
    expect(dates).toEqual(['31 May 2024', '30 June 2024', '31 July 2024', '10 August 2024']);
    // The end of May says what the page at asOf=2024-05-31 says: the completion of 1 June not yet in.
    const atMonthEnd = await browser.get('/web/plans/dorset/progress?asOf=2024-05-31');
    expect(rows(atMonthEnd.body)).toEqual([rows(page.body)[0]]);
  });
});
