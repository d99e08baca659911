import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { businessDatesProjection } from '../../projections/business-dates/projection.ts';
import { businessDay } from '../../projections/history/business-days.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp({ now: '2026-11-23T12:00:00.000Z' });
  const plan = '/plans/harbour';
  await r.post('/plans', {
    planId: 'harbour',
    title: 'Harbour review action plan',
    kind: 'investigation-action-plan',
    owner: 'Harbour Trust',
    effectiveOn: '2025-04-01',
  });
  // Agreed "in May 2025", typed in long after: known to have happened by 31 May, and no earlier.
  await r.post(`${plan}/recommendations`, {
    ref: 'R1',
    text: 'Review discharge letters',
    addressedTo: ['Harbour Trust'],
    effectiveOn: '2025-05',
  });
  await r.post(`${plan}/actions`, {
    ref: '1',
    text: 'Audit discharge letters',
    recommendationRefs: ['R1'],
    leadOrganisations: ['Harbour Trust'],
    due: { kind: 'date', date: '2025-09' },
    effectiveOn: '2025-05',
  });
  // Dated by day inside that month: the write takes them, as May may have been 1 May.
  await r.post(`${plan}/actions/1/progress-updates`, { narrative: 'Letters gathered', effectiveOn: '2025-05-01' });
  await r.post(`${plan}/actions/1/completion`, { completedOn: '2025-05-02', summary: 'Audit done' });
  await r.post(`${plan}/recommendations/R1/responses`, { respondent: 'Harbour Trust', response: 'Accepted', effectiveOn: '2025-05-03' });
});
afterEach(() => r.close());

/** The plan's entries in the order recorded, which is also the order they count in. */
const EVERY_ENTRY = [
  'PlanRegistered',
  'RecommendationRecorded',
  'ActionAgreed',
  'ProgressUpdateRecorded',
  'ActionCompleted',
  'RecommendationResponseRecorded',
];

/** What each view says of action 1 and recommendation R1 at an effectiveOn. */
const views = async (effectiveOn: string) => {
  const plan = (await r.get(`/plans/harbour?effectiveOn=${effectiveOn}`)).json();
  const timeline = (await r.get(`/plans/harbour/timeline?effectiveOn=${effectiveOn}`)).json();
  const report = (await r.get(`/reports/deadlines?from=2025-01&to=2025-12&effectiveOn=${effectiveOn}`)).json();
  const listed = (await r.get(`/plans?effectiveOn=${effectiveOn}`)).json();

  return {
    actions: (plan.actions as { ref: string }[]).map((a) => a.ref),
    recommendations: (plan.recommendations as { ref: string }[]).map((x) => x.ref),
    revision: plan.revision as number,
    listedRevision: (listed.plans as { revision: number }[])[0]!.revision,
    entries: (timeline.entries as { type: string }[]).map((e) => e.type),
    reported: (report.actions as { ref: string; outcome: string }[]).map((a) => `${a.ref} ${a.outcome}`),
  };
};

describe('a fact about an action or a recommendation, on the business clock', () => {
  it('counts no earlier than the agreement or recording it is about, so the plan, its timeline and the reports agree inside the month', async () => {
    const before = await views('2025-05-10');
    expect(before).toEqual({ actions: [], recommendations: [], revision: 0, listedRevision: 0, entries: ['PlanRegistered'], reported: [] });
    const after = await views('2025-05');
    expect(after.actions).toEqual(['1']);
    expect(after.recommendations).toEqual(['R1']);
    expect(after.entries).toEqual(EVERY_ENTRY);
    expect(after.reported).toEqual(['1 met']);
    expect(after).toEqual(await views('2026-11-23'));
  });

  it('orders the timeline by business date with the agreement before what happened to the action', async () => {
    const timeline = (await r.get('/plans/harbour/timeline?order=effective')).json();
    expect((timeline.entries as { type: string }[]).map((e) => e.type)).toEqual(EVERY_ENTRY);
  });

  it('names the action among the changes between a day inside the month and its end', async () => {
    const changes = (await r.get('/plans/harbour/changes?clock=effective&from=2025-05-10&to=2025-05-31')).json();
    expect((changes.actions as { ref: string }[]).map((a) => a.ref)).toEqual(['1']);
    const none = (await r.get('/plans/harbour/changes?clock=effective&from=2025-05-02&to=2025-05-10')).json();
    expect(none.actions).toEqual([]);
    expect(none.entries).toEqual([]);
  });

  it('reads one plan from its whole stream when its business dates were kept before the rule', async () => {
    await r.get('/plans/harbour');
    const { readStore } = r.readModels;
    const name = businessDatesProjection.name;
    // Each event's own day, as the read model kept them before the rule, and no record of the agreements.
    const days = ['2025-04-01', '2025-05', '2025-05', '2025-05-01', '2025-05-02', '2025-05-03'].map(businessDay);
    readStore.save(name, readStore.checkpoint(name)!, [['harbour', { days, foldWhole: false }]]);
    const plan = (await r.get('/plans/harbour?effectiveOn=2025-05-10')).json();
    expect({ actions: plan.actions, revision: plan.revision }).toEqual({ actions: [], revision: 0 });
  });
});
