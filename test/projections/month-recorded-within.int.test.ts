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

/** Action 1.4's completion as the plan, the deadline report (the history) and its timeline show it at these clocks. */
const completed = async (query: string) => {
  const plan = (await r.get(`/plans/dorset-ccc${query}`)).json();
  const action = plan.actions.find((a: { ref: string }) => a.ref === '1.4');
  const report = (await r.get(`/reports/deadlines?from=2014-01&to=2027-12${query.replace('?', '&')}`)).json();
  const row = (report.actions as Row[]).find((a) => a.ref === '1.4')!;
  const timeline = (await r.get(`/plans/dorset-ccc/actions/1.4/timeline${query}`)).json();
  const entry = (timeline.entries as { type: string }[]).some((e) => e.type === 'ActionCompleted');
  return { plan: action.closure?.completedOn ?? null, report: row.completedOn, timeline: entry };
};

describe('a fact dated by its month and recorded within that month', () => {
  it('counts from the day it was recorded, so a read at that day agrees with the live view, in one plan, the lists and the history', async () => {
    await r.post('/plans/dorset-ccc/actions/1.4/completion', { completedOn: '2026-11', summary: 'Suite reviewed' });
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

  it('counts a month a correction set from the day the correction was recorded, when within the month, so today agrees with the live view', async () => {
    r.setNow('2026-11-03T12:00:00.000Z');
    const { eventIds } = await r.post('/plans/dorset-ccc/actions/1.4/completion', { completedOn: '2026-10', summary: 'Suite reviewed' });
    r.setNow('2026-11-12T12:00:00.000Z');
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: eventIds[0],
      changes: { completedOn: '2026-11' },
      reason: 'Reviewed in November',
    });
    r.setNow('2026-11-23T12:00:00.000Z');
    const done = { plan: '2026-11', report: '2026-11', timeline: true };
    expect(await completed('')).toEqual(done);
    expect(await completed('?effectiveOn=2026-11-23')).toEqual(done);
    // The ledger was told "November" on the 12th: it had happened by then, not by the 11th.
    expect(await completed('?effectiveOn=2026-11-12')).toEqual(done);
    expect(await completed('?effectiveOn=2026-11-11')).toEqual({ plan: null, report: null, timeline: false });
    const changes = (await r.get('/plans/dorset-ccc/changes?clock=effective&from=2026-11-11&to=2026-11-12')).json();
    expect((changes.actions as { ref: string }[]).some((a) => a.ref === '1.4')).toBe(true);
    expect((changes.entries as { eventId: string }[]).map((e) => e.eventId)).toContain(eventIds[0]);
  });

  it("counts a month a correction set after the month ended from the month's last day, even back to the month first recorded", async () => {
    r.setNow('2026-10-03T12:00:00.000Z');
    const { eventIds } = await r.post('/plans/dorset-ccc/actions/1.3/progress-updates', {
      narrative: 'October update',
      effectiveOn: '2026-10',
    });
    r.setNow('2026-11-05T12:00:00.000Z');
    for (const [date, reason] of [
      ['2026-09', 'Wrong month'],
      ['2026-10', 'October after all'],
    ])
      await r.post('/plans/dorset-ccc/corrections', { correctedEventId: eventIds[0], correctedEffectiveOn: date, reason });
    const counts = async (effectiveOn: string) =>
      (await r.get(`/plans/dorset-ccc?effectiveOn=${effectiveOn}`)).json().actions.find((a: { ref: string }) => a.ref === '1.3').lastUpdate
        ?.narrative === 'October update';
    expect(await counts('2026-10-30')).toBe(false);
    expect(await counts('2026-10')).toBe(true);
  });

  it('counts a month from the day a correction of a correction redirected it to its entry, and not from when it was first set on another', async () => {
    r.setNow('2026-11-03T12:00:00.000Z');
    const update = (ref: string, narrative: string) =>
      r.post(`/plans/dorset-ccc/actions/${ref}/progress-updates`, { narrative, effectiveOn: '2026-10' });
    const first = (await update('1.3', 'First update')).eventIds[0];
    const second = (await update('1.4', 'Second update')).eventIds[0];
    const setting = await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: first,
      correctedEffectiveOn: '2026-11',
      reason: 'November',
    });
    r.setNow('2026-11-20T12:00:00.000Z');
    // Redirected: the second update, not the first, is the one dated November, and the ledger learns it today.
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: setting.eventIds[0],
      changes: { correctedEventId: second },
      reason: 'Meant the other update',
    });
    r.setNow('2026-11-23T12:00:00.000Z');
    const lastUpdateOf = async (ref: string, effectiveOn: string) =>
      (await r.get(`/plans/dorset-ccc?effectiveOn=${effectiveOn}`)).json().actions.find((a: { ref: string }) => a.ref === ref).lastUpdate
        ?.narrative;
    expect(await lastUpdateOf('1.4', '2026-11-19')).not.toBe('Second update');
    expect(await lastUpdateOf('1.4', '2026-11-20')).toBe('Second update');
    expect(await lastUpdateOf('1.3', '2026-10')).toBe('First update');
  });

  it('counts a month a correction set from that correction even when a correction of it later changes only its words', async () => {
    r.setNow('2026-11-03T12:00:00.000Z');
    const { eventIds } = await r.post('/plans/dorset-ccc/actions/1.4/completion', { completedOn: '2026-10', summary: 'Suite reviewed' });
    r.setNow('2026-11-12T12:00:00.000Z');
    const setting = await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: eventIds[0],
      changes: { completedOn: '2026-11' },
      reason: 'Reviewed in November',
    });
    r.setNow('2026-11-20T12:00:00.000Z');
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: setting.eventIds[0],
      changes: { reason: 'The review was in November' },
      reason: 'Clearer reason',
    });
    r.setNow('2026-11-23T12:00:00.000Z');
    expect(await completed('?effectiveOn=2026-11-15')).toEqual({ plan: '2026-11', report: '2026-11', timeline: true });
    expect(await completed('?effectiveOn=2026-11-11')).toEqual({ plan: null, report: null, timeline: false });
  });

  it('keeps counting a month from the day it was recorded when a correction restates that month with other words', async () => {
    r.setNow('2026-11-03T12:00:00.000Z');
    const { eventIds } = await r.post('/plans/dorset-ccc/actions/1.4/completion', { completedOn: '2026-11', summary: 'Suite reviewed' });
    r.setNow('2026-11-16T12:00:00.000Z');
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: eventIds[0],
      changes: { completedOn: '2026-11', summary: 'Suite and pathway reviewed' },
      reason: 'Fuller summary',
    });
    r.setNow('2026-11-23T12:00:00.000Z');
    expect(await completed('?effectiveOn=2026-11-05')).toEqual({ plan: '2026-11', report: '2026-11', timeline: true });
    expect(await completed('?effectiveOn=2026-11-02')).toEqual({ plan: null, report: null, timeline: false });
  });
});

describe('the day a fact was recorded on, in London', () => {
  it('is the London day, not the UTC one: a fact recorded at 00:30 in British Summer Time counts from that London day, in one plan and the lists', async () => {
    const summer = await openReadApp({ now: '2026-06-01T09:00:00.000Z' });
    try {
      await summer.post('/plans', { planId: 'summer', title: 'Summer plan', kind: 'other', owner: 'Dorset CCG', effectiveOn: '2026-05' });
      await summer.post('/plans/summer/actions', {
        ref: '1.1',
        text: 'Review the suite',
        leadOrganisations: ['Dorset Police'],
        due: { kind: 'date', date: '2026-12' },
        effectiveOn: '2026-05',
      });
      // 23:30 UTC on 10 June is 00:30 on 11 June in London.
      summer.setNow('2026-06-10T23:30:00.000Z');
      await summer.post('/plans/summer/actions/1.1/completion', { completedOn: '2026-06', summary: 'Suite reviewed' });
      await summer.post('/plans/summer/actions/1.1/evidence', { title: 'Review minutes', uri: 'https://example.org/minutes' });
      summer.setNow('2026-06-20T12:00:00.000Z');
      const at = async (effectiveOn: string) => {
        const plan = (await summer.get(`/plans/summer?effectiveOn=${effectiveOn}`)).json();
        const action = plan.actions.find((a: { ref: string }) => a.ref === '1.1');
        const report = (await summer.get(`/reports/deadlines?from=2026-01&to=2026-12&effectiveOn=${effectiveOn}`)).json();
        const row = (report.actions as Row[]).find((a) => a.ref === '1.1')!;
        return { plan: action.closure?.completedOn ?? null, report: row.completedOn, evidence: action.evidence.length };
      };
      expect(await at('2026-06-10')).toEqual({ plan: null, report: null, evidence: 0 });
      expect(await at('2026-06-11')).toEqual({ plan: '2026-06', report: '2026-06', evidence: 1 });
    } finally {
      await summer.close();
    }
  });
});
