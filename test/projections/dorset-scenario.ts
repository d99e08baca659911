import type { ReadApp } from './read-app.ts';

/** Instants the scenario is recorded at, so as-of reads can land between them. */
export const T = {
  registered: '2026-01-05T09:00:00.000Z',
  agreed: '2026-01-05T09:30:00.000Z',
  revised: '2026-03-02T10:00:00.000Z',
  updated: '2026-06-01T10:00:00.000Z',
  now: '2026-11-23T12:00:00.000Z',
};

/**
 * A plan like Dorset's Crisis Care Concordat: action 1.3 due October 2015, revised to
 * March 2018, reported Green in August 2017 (typed in years later); action 1.4 led by
 * "SWASFT", due within 30 days; action 1.5 completed late without evidence.
 */
export const recordDorsetPlan = async (r: ReadApp) => {
  const plan = '/plans/dorset-ccc';
  r.setNow(T.registered);
  await r.post('/plans', {
    planId: 'dorset-ccc',
    title: 'Dorset Crisis Care Concordat action plan',
    kind: 'crisis-care-concordat',
    owner: 'Dorset CCG',
    ragLegend: [
      { rating: 'Green', meaning: 'Complete or on track' },
      { rating: 'Red', meaning: 'Not started' },
    ],
    effectiveOn: '2015-03',
  });
  r.setNow(T.agreed);
  await r.post(`${plan}/sections`, { sectionRef: '1', title: 'Access to Support Before Crisis', effectiveOn: '2015-03' });
  await r.post(`${plan}/recommendations`, {
    ref: 'R1',
    text: 'Street triage in every locality',
    addressedTo: ['SWAST'],
    effectiveOn: '2015-03',
  });
  const agreed = await r.post(`${plan}/actions`, {
    ref: '1.3',
    text: 'Pilot street triage',
    sectionRef: '1',
    recommendationRefs: ['R1'],
    leadOrganisations: ['Dorset CCG'],
    partnerOrganisations: ['SWASFT'],
    due: { kind: 'date', date: '2015-10', wording: 'October 2015' },
    effectiveOn: '2015-03',
  });
  await r.post(`${plan}/actions`, {
    ref: '1.4',
    text: 'Conveyance protocol',
    sectionRef: '1',
    leadOrganisations: ['South West Ambulance Service Foundation Trust'],
    due: { kind: 'date', date: '2026-12-10' },
    effectiveOn: '2015-03',
  });
  await r.post(`${plan}/actions`, {
    ref: '1.5',
    text: 'Section 136 suite review',
    leadOrganisations: ['Dorset Police'],
    due: { kind: 'date', date: '2016-01' },
    effectiveOn: '2015-03',
  });
  r.setNow(T.revised);
  await r.post(`${plan}/actions/1.3/deadline-revisions`, {
    to: { kind: 'date', date: '2018-03', wording: 'Revised to March 2018' },
    reason: 'Pilot delayed by recruitment',
    agreedBy: 'Crisis Care Concordat Board',
    effectiveOn: '2016-01',
  });
  await r.post(`${plan}/actions/1.5/completion`, { completedOn: '2016-03' });
  r.setNow(T.updated);
  await r.post(`${plan}/actions/1.3/progress-updates`, {
    narrative: 'AUG 2017 The pilot has been completed',
    reportedRag: { rating: 'Green' },
    effectiveOn: '2017-08',
  });
  r.setNow(T.now);
  return { agreedActionEventId: agreed.eventIds[0]! };
};
