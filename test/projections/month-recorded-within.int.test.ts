import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeEach(async () => {
  // The ledger's clock: 23 November 2026, midday.
  r = await openReadApp({ now: '2026-11-23T12:00:00.000Z' });
  await recordDorsetPlan(r);
});
afterEach(() => r.close());

type Row = { ref: string; completedOn: string | null };

describe('a fact dated by its month and recorded within that month', () => {
  it('counts from the day it was recorded, so a read at that day agrees with the live view, in one plan, the lists and the history', async () => {
    await r.post('/plans/dorset-ccc/actions/1.4/completion', { completedOn: '2026-11', summary: 'Suite reviewed' });
    const completed = async (query: string) => {
      const plan = (await r.get(`/plans/dorset-ccc${query}`)).json();
      const action = plan.actions.find((a: { ref: string }) => a.ref === '1.4');
      const report = (await r.get(`/reports/deadlines?from=2014-01&to=2027-12${query.replace('?', '&')}`)).json();
      const row = (report.actions as Row[]).find((a) => a.ref === '1.4')!;
      const timeline = (await r.get(`/plans/dorset-ccc/actions/1.4/timeline${query}`)).json();
      const entry = (timeline.entries as { type: string }[]).some((e) => e.type === 'ActionCompleted');
      return { plan: action.closure?.completedOn ?? null, report: row.completedOn, timeline: entry };
    };
    const done = { plan: '2026-11', report: '2026-11', timeline: true };
    const notYet = { plan: null, report: null, timeline: false };
    expect(await completed('')).toEqual(done);
    expect(await completed('?effectiveOn=2026-11-23')).toEqual(done);
    expect(await completed('?effectiveOn=2026-11')).toEqual(done);
    // Before the day it was recorded, all that is known is "in November": it has not yet counted.
    expect(await completed('?effectiveOn=2026-11-22')).toEqual(notYet);
    // Recorded later than its month, a month counts from its last day, as before.
    await r.post('/plans/dorset-ccc/actions/1.3/progress-updates', { narrative: 'Reviewed at the October board', effectiveOn: '2026-10' });
    const update = async (effectiveOn: string) =>
      (await r.get(`/plans/dorset-ccc?effectiveOn=${effectiveOn}`)).json().actions.find((a: { ref: string }) => a.ref === '1.3').lastUpdate
        ?.narrative ?? null;
    expect(await update('2026-10-30')).not.toBe('Reviewed at the October board');
    expect(await update('2026-10-31')).toBe('Reviewed at the October board');
  });

  it("counts from its month's last day once a correction has set its date, even back to the one first recorded; changes lists it so", async () => {
    r.setNow('2026-11-03T12:00:00.000Z');
    const { eventIds } = await r.post('/plans/dorset-ccc/actions/1.3/progress-updates', {
      narrative: 'November update',
      effectiveOn: '2026-11',
    });
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: eventIds[0],
      correctedEffectiveOn: '2026-10',
      reason: 'Wrong month',
    });
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: eventIds[0],
      correctedEffectiveOn: '2026-11',
      reason: 'November after all',
    });
    r.setNow('2026-11-23T12:00:00.000Z');
    const counts = async (effectiveOn: string) =>
      (await r.get(`/plans/dorset-ccc?effectiveOn=${effectiveOn}`)).json().actions.find((a: { ref: string }) => a.ref === '1.3').lastUpdate
        ?.narrative === 'November update';
    expect(await counts('2026-11-10')).toBe(false);
    expect(await counts('2026-11')).toBe(true);
    const changes = (await r.get('/plans/dorset-ccc/changes?clock=effective&from=2026-11-10&to=2026-11')).json();
    expect((changes.actions as { ref: string }[]).some((a) => a.ref === '1.3')).toBe(true);
    expect((changes.entries as { eventId: string }[]).map((e) => e.eventId)).toContain(eventIds[0]);
  });
});
