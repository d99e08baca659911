import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, pageWords as words } from './web-support.ts';

const open = useSecuredLedger();

/**
 * The Dorset plan, registered in June 2015 (its business date) and recorded in the ledger on 10 March 2017: before that
 * instant the ledger knew nothing of it, though it had been registered for almost two years. "Today" is 1 July 2017.
 */
const recordedLate = async () => {
  let now = new Date('2017-03-10T10:00:00.000Z');
  const ledger = await open({}, { web: {}, clock: () => now });
  await seedDorsetPlan(ledger);
  now = new Date('2017-07-01T10:00:00.000Z');
  expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
  return { ledger, browser };
};

describe('a plan not yet in the ledger at a ledger time', () => {
  it('was not recorded by then, on every page of the plan: registering is what the plan did, when it happened', async () => {
    const { browser } = await recordedLate();
    for (const url of [
      '/web/plans/dorset?asOf=2017-02-01',
      '/web/plans/dorset/actions/1.3?asOf=2017-02-01',
      '/web/plans/dorset/history?asOf=2017-02-01',
      '/web/plans/dorset/progress?asOf=2017-02-01',
    ]) {
      const res = await browser.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(words(res.body), url).toContain('No plan with this name had been recorded by the end of 1 February 2017.');
      expect(words(res.body), url).not.toContain('registered');
    }
    // By the dates things happened, it had not been registered.
    const byDate = await browser.get('/web/plans/dorset?effectiveOn=2015-02');
    expect(words(byDate.body)).toContain('No plan with this name had been registered by the end of February 2015.');
  });

  it('was not recorded by a ledger time compared on, or not registered by the business date as the ledger knew it then', async () => {
    const { browser } = await recordedLate();
    const changes = '/web/plans/dorset/changes';
    const early = await browser.get(`${changes}?from=2017-01-01&to=2017-02-01`);
    expect(early.statusCode).toBe(404);
    expect(words(early.body)).toContain('No plan with this name had been recorded by the end of 1 February 2017.');
    const earlyAtDate = await browser.get(`${changes}?from=2017-01-01&to=2017-02-01&effectiveOn=2016-12`);
    expect(earlyAtDate.statusCode).toBe(404);
    expect(words(earlyAtDate.body)).toContain(
      'No plan with this name had been registered by the end of December 2016, as the ledger knew it at the end of 1 February 2017.',
    );
    const added = await browser.get(`${changes}?from=2017-01-01&to=2017-06-30`);
    expect(added.statusCode).toBe(200);
    expect(words(added.body)).toContain(
      'This plan had not been recorded by the end of 1 January 2017, or had been retracted then, so every action it had at the end of 30 June 2017 is listed as added.',
    );
    const addedAtDate = await browser.get(`${changes}?from=2017-01-01&to=2017-06-30&effectiveOn=2016-12`);
    expect(addedAtDate.statusCode).toBe(200);
    expect(words(addedAtDate.body)).toContain(
      'As the ledger stood at the end of 1 January 2017, this plan had not been registered by the end of December 2016, or had been retracted then',
    );
    // By the dates things happened, from and to are business dates: not registered by from.
    const byDates = await browser.get(`${changes}?from=2015-05&to=2015-06&clock=effective`);
    expect(words(byDates.body)).toContain('This plan had not been registered by the end of May 2015, or had been retracted then');
  });
});
