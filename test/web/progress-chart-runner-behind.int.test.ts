import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/** The progress page's figures table: one row per column, its date, then the count under each status. */
const rows = (html: string) =>
  [...html.matchAll(/<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">([^<]+)<\/td>(.*?)<\/tr>/g)].map((m) => ({
    date: m[1]!,
    counts: [...m[2]!.matchAll(/>(\d+)</g)].map((c) => Number(c[1])),
  }));

/** Dorset registered in January 2017 and read by the read models; then the runner stops, and the ledger goes on without it. */
const runnerStopped = async () => {
  let now = new Date('2017-01-10T10:00:00.000Z');
  const ledger = await open({}, { web: {}, clock: () => now });
  await seedDorsetPlan(ledger);
  const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
  expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
  await ledger.readModels.runner.stop();
  const post = async (at: string, url: string, payload: object) => {
    now = new Date(at);
    const res = await ledger.call(manager, { method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(201);
  };
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
  return { ledger, post, browser, setNow: (at: string) => (now = new Date(at)) };
};

describe('the progress chart on the ledger clock, with the read models behind the ledger', () => {
  it('of a plan retracted in entries they have not applied says the plan is retracted, as the chart at a business date does', async () => {
    const { post, browser, setNow } = await runnerStopped();
    await post('2017-03-14T09:00:00.000Z', '/plans/dorset/actions/2.1/completion', { completedOn: '2017-03' });
    await post('2017-04-15T09:00:00.000Z', '/plans/dorset/retraction', { reason: 'Imported by mistake' });
    setNow('2017-05-10T10:00:00.000Z');
    // Every column is read at the ledger's time now, when the plan stands retracted: so does the page.
    expect((await browser.get('/web/plans/dorset/progress?effectiveOn=2017-04')).statusCode).toBe(410);
    const page = await browser.get('/web/plans/dorset/progress');
    expect(page.statusCode, JSON.stringify(rows(page.body))).toBe(410);
    expect(page.body).toContain('was retracted');
  });

  it('of a plan registered in entries they have not applied draws its columns from the ledger, as the chart at a business date does', async () => {
    const { ledger, browser, setNow } = await runnerStopped();
    setNow('2017-03-10T10:00:00.000Z');
    await seedDorsetPlan(ledger, 'north');
    setNow('2017-05-10T10:00:00.000Z');
    expect((await browser.get('/web/plans/north/progress?effectiveOn=2017-04')).statusCode).toBe(200);
    const page = await browser.get('/web/plans/north/progress');
    expect(page.statusCode).toBe(200);
    expect(rows(page.body).map((r) => r.date)).toEqual(['31 March 2017', '30 April 2017', '10 May 2017']);
  });
});
