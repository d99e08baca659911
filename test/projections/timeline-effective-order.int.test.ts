import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReadApp, type ReadApp } from './read-app.ts';

interface Entry {
  summary: string;
  effectiveOn: { date: string };
}

let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp({ now: '2017-01-10T09:00:00.000Z' });
  await r.post('/plans', { planId: 'p', title: 'Plan', kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2017-01' });
  await r.post('/plans/p/actions', {
    ref: '1.1',
    text: 'Review the crisis line',
    leadOrganisations: ['Dorset CCG'],
    due: { kind: 'date', date: '2018-03' },
    effectiveOn: '2017-01',
  });
});
afterEach(() => r.close());

const update = (narrative: string, effectiveOn: string) => r.post('/plans/p/actions/1.1/progress-updates', { narrative, effectiveOn });

/** The updates' narratives in the action's timeline, as it happened, at a business date if given. */
const updatesAsItHappened = async (effectiveOn?: string) => {
  const page = (await r.get(`/plans/p/actions/1.1/timeline?order=effective${effectiveOn ? `&effectiveOn=${effectiveOn}` : ''}`)).json() as {
    entries: Entry[];
  };
  return page.entries.filter((e) => e.summary.startsWith('Progress update')).map((e) => e.summary);
};

describe('a timeline as it happened', () => {
  it('puts a month recorded after it ends after the days within it, as the business clock counts it from its last day', async () => {
    r.setNow('2017-09-10T09:00:00.000Z');
    await update('Reviewed during the month', '2017-08');
    await update('Reviewed on the 14th', '2017-08-14');
    const all = await updatesAsItHappened();
    expect(all).toHaveLength(2);
    expect(all[0]).toContain('Reviewed on the 14th');
    expect(all[1]).toContain('Reviewed during the month');
    // The same order as the clock: on the 14th only the day's update had happened.
    expect(await updatesAsItHappened('2017-08-14')).toEqual([all[0]]);
  });

  it('puts a month a correction set after the month ended, even back to the month recorded, at its last day, as the business clock does', async () => {
    r.setNow('2017-08-05T09:00:00.000Z');
    const { eventIds } = await update('Reviewed this month', '2017-08');
    r.setNow('2017-09-10T09:00:00.000Z');
    for (const date of ['2017-07', '2017-08'])
      await r.post('/plans/p/corrections', { correctedEventId: eventIds[0], correctedEffectiveOn: date, reason: 'Wrong month' });
    await update('Reviewed on the 14th', '2017-08-14');
    const all = await updatesAsItHappened();
    expect(all.map((s) => s.includes('this month'))).toEqual([false, true]);
    expect(await updatesAsItHappened('2017-08-30')).toEqual([all[0]]);
  });

  it('puts a month recorded within it at the day it was recorded', async () => {
    r.setNow('2017-08-05T09:00:00.000Z');
    await update('Reviewed this month', '2017-08');
    r.setNow('2017-09-10T09:00:00.000Z');
    await update('Reviewed on the 14th', '2017-08-14');
    const all = await updatesAsItHappened();
    expect(all.map((s) => s.includes('this month'))).toEqual([true, false]);
    expect(await updatesAsItHappened('2017-08-05')).toEqual([all[0]]);
  });

  it('puts a month a correction set within that month at the day the correction was recorded', async () => {
    r.setNow('2017-08-05T09:00:00.000Z');
    const { eventIds } = await update('Reviewed, month corrected', '2017-07');
    r.setNow('2017-08-20T09:00:00.000Z');
    await r.post('/plans/p/corrections', { correctedEventId: eventIds[0], correctedEffectiveOn: '2017-08', reason: 'August, not July' });
    r.setNow('2017-09-10T09:00:00.000Z');
    await update('Reviewed on the 14th', '2017-08-14');
    await update('Reviewed on the 25th', '2017-08-25');
    const all = await updatesAsItHappened();
    expect(all.map((s) => s.slice(s.indexOf('Reviewed')))).toEqual([
      'Reviewed on the 14th',
      'Reviewed, month corrected',
      'Reviewed on the 25th',
    ]);
    expect(await updatesAsItHappened('2017-08-19')).toEqual([all[0]]);
    expect(await updatesAsItHappened('2017-08-20')).toEqual(all.slice(0, 2));
  });
});
