import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDorsetPlan } from '../projections/dorset-scenario.ts';
import { openReadApp, type ReadApp } from '../projections/read-app.ts';
import { expectProblem } from './app-harness.ts';

/**
 * A mistyped business date is corrected through POST /corrections with correctedEffectiveOn:
 * the views then use the corrected date, the timeline shows it before → after, and a bad
 * corrected date is refused as problem+json with nothing written.
 */
let r: ReadApp;
let events: { eventId: string; type: string; data: { ref?: string; target?: { ref: string } } }[];
const eventOf = (type: string, ref: string) => events.find((e) => e.type === type && (e.data.ref ?? e.data.target?.ref) === ref)!.eventId;

beforeEach(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
  events = (await r.app.inject('/plans/dorset-ccc/events')).json().events;
});
afterEach(() => r.close());

describe('correcting an entry’s business date over HTTP', () => {
  it('201: the views and the effective-ordered timeline use the corrected date, the original stays visible', async () => {
    const update = eventOf('ProgressUpdateRecorded', '1.3');
    const res = await r.app.inject({
      method: 'POST',
      url: '/plans/dorset-ccc/corrections',
      payload: {
        correctedEventId: update,
        correctedEffectiveOn: '2015-09',
        reason: 'AUG 2017 was the report date; the update is from September 2015',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const correctionId = res.json().eventIds[0];
    const stored = (await r.app.inject('/plans/dorset-ccc/events')).json().events.at(-1);
    expect(stored).toMatchObject({
      type: 'EntryCorrected',
      schemaVersion: 2,
      data: { correctedEventId: update, changes: {}, correctedEffectiveOn: '2015-09' },
    });
    // The corrected event itself is never rewritten.
    expect(
      (await r.app.inject('/plans/dorset-ccc/events')).json().events.find((e: { eventId: string }) => e.eventId === update).effectiveOn
        .date,
    ).toBe('2017-08');

    await r.post('/plans/dorset-ccc/sections', { sectionRef: '2', title: 'Read your write' });
    const plan = (await r.get('/plans/dorset-ccc')).json();
    const action = plan.actions.find((a: { ref: string }) => a.ref === '1.3');
    expect(action.reportedRag).toMatchObject({ rating: 'Green', reportedOn: '2015-09' });
    expect(action.lastUpdate.effectiveOn).toBe('2015-09');
    expect(action.lastUpdatedOn).toBe('2015-09');
    expect(plan.corrections.at(-1)).toMatchObject({ eventId: correctionId, correctedEffectiveOn: '2015-09', changes: {} });

    const timeline = (await r.get('/plans/dorset-ccc/actions/1.3/timeline?order=effective')).json().entries;
    expect(timeline.map((e: { type: string; effectiveOn: { date: string } }) => `${e.type} ${e.effectiveOn.date}`)).toEqual([
      'ActionAgreed 2015-03',
      'ProgressUpdateRecorded 2015-09',
      'DeadlineRevised 2016-01',
      `EntryCorrected ${timeline.at(-1).effectiveOn.date}`,
    ]);
    expect(timeline[1].recordedEffectiveOn).toEqual({ date: '2017-08', precision: 'month' });
    expect(timeline.at(-1).changes).toEqual([{ field: 'effectiveOn', before: '2017-08', after: '2015-09' }]);
    expect(timeline.at(-1).summary).toBe(
      'Correction of an earlier progress update (action 1.3): date it happened from August 2017 to September 2015',
    );
  });

  it('at a business date its corrected entry no longer reaches, the correction still names the action and the dates it moved between', async () => {
    const update = eventOf('ProgressUpdateRecorded', '1.3');
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: update,
      correctedEffectiveOn: '2017-10',
      reason: 'The update was given at the October board',
    });
    type Entry = { type: string; eventId: string; about: { kind: string; ref: string | null }; changes: unknown[] };
    const at = async (url: string) => (await r.get(url)).json().entries as Entry[];

    const action = await at('/plans/dorset-ccc/actions/1.3/timeline?effectiveOn=2017-09');
    expect(action.map((e) => e.type)).toEqual(['ActionAgreed', 'DeadlineRevised', 'EntryCorrected']);
    expect(action.at(-1)!.about).toEqual({ kind: 'action', ref: '1.3' });
    expect(action.at(-1)!.changes).toEqual([{ field: 'effectiveOn', before: '2017-08', after: '2017-10' }]);
    // The plan's timeline shows the same entry, about the action, and not the update it moved.
    const plan = await at('/plans/dorset-ccc/timeline?effectiveOn=2017-09');
    expect(plan.find((e) => e.type === 'EntryCorrected')).toEqual(action.at(-1));
    expect(plan.some((e) => e.eventId === update)).toBe(false);
    // Once the moved update counts, it is back, at its corrected date.
    const later = await at('/plans/dorset-ccc/actions/1.3/timeline?effectiveOn=2017-10');
    expect(later.map((e) => e.type)).toEqual(['ActionAgreed', 'DeadlineRevised', 'ProgressUpdateRecorded', 'EntryCorrected']);
    // Before the plan was registered there is no plan, as its view says, though the correction counts at every date.
    for (const url of ['/plans/dorset-ccc?effectiveOn=2000-01', '/plans/dorset-ccc/timeline?effectiveOn=2000-01'])
      expectProblem(await r.app.inject(url), 404, 'plan-not-found');
  });

  it('at a business date, entries name the leads of the facts that count there, not a lead change dated later', async () => {
    await r.post('/plans/dorset-ccc/actions/1.3/lead-changes', { to: ['Dorset Police'], effectiveOn: '2018-01' });
    await r.post('/plans/dorset-ccc/actions/1.3/progress-updates', { narrative: 'Recorded late', effectiveOn: '2017-06' });
    type Entry = { type: string; summary: string; organisations: string[] };
    const entries = async (url: string) => (await r.get(url)).json().entries as Entry[];
    const late = (list: Entry[]) => list.filter((e) => e.type === 'ProgressUpdateRecorded').at(-1)!;
    expect(late(await entries('/plans/dorset-ccc/actions/1.3/timeline?effectiveOn=2017-09')).organisations).toEqual([
      'NHS Dorset Clinical Commissioning Group',
    ]);
    expect(late(await entries('/plans/dorset-ccc/actions/1.3/timeline?effectiveOn=2018-01')).organisations).toEqual(['Dorset Police']);
  });

  it('an agreement moved to a day keeps its precision and the action shows it as agreedOn', async () => {
    const agreed = eventOf('ActionAgreed', '1.5');
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: agreed,
      correctedEffectiveOn: '2015-04-14',
      reason: 'Agreed at the April board',
    });
    const plan = (await r.get('/plans/dorset-ccc')).json();
    expect(plan.actions.find((a: { ref: string }) => a.ref === '1.5').agreedOn).toBe('2015-04-14');
    const entry = (await r.get('/plans/dorset-ccc/actions/1.5/timeline')).json().entries[0];
    expect(entry.effectiveOn).toEqual({ date: '2015-04-14', precision: 'day' });
  });

  it('a completion’s date and its business date move together, so it counts on the business clock from the date it shows', async () => {
    const completed = eventOf('ActionCompleted', '1.5');
    const at = async (effectiveOn: string) =>
      (await r.get(`/plans/dorset-ccc?effectiveOn=${effectiveOn}`)).json().actions.find((a: { ref: string }) => a.ref === '1.5');
    expect((await at('2016-03')).status).toBe('completed');
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: completed,
      changes: { completedOn: '2016-05-10' },
      reason: 'The sign-off was in May',
    });
    const stored = (await r.app.inject('/plans/dorset-ccc/events')).json().events.at(-1);
    expect(stored.data).toMatchObject({ changes: { completedOn: '2016-05-10' }, correctedEffectiveOn: '2016-05-10' });
    // Before the date it shows, the action was not yet complete: it is not shown completed on a later date.
    expect(await at('2016-04')).toMatchObject({ status: 'open', computedStatus: 'overdue' });
    expect(await at('2016-05-10')).toMatchObject({
      status: 'completed',
      closure: { completedOn: '2016-05-10', effectiveOn: '2016-05-10' },
    });

    // What the plan said before and after the correction names the completion's new dates.
    const changes = (await r.get(`/plans/dorset-ccc/changes?from=2026-03-03T00:00:00Z&to=2026-11-23T12:00:00Z&effectiveOn=2016-06`)).json();
    expect(changes.actions.find((a: { ref: string }) => a.ref === '1.5').fields).toEqual(
      expect.arrayContaining([
        {
          field: 'closure',
          before: expect.objectContaining({ completedOn: '2016-03', effectiveOn: '2016-03' }),
          after: expect.objectContaining({ completedOn: '2016-05-10', effectiveOn: '2016-05-10' }),
        },
      ]),
    );

    const before = await r.store.count();
    const refused = await r.app.inject({
      method: 'POST',
      url: '/plans/dorset-ccc/corrections',
      payload: { correctedEventId: completed, changes: { completedOn: '2016-06' }, correctedEffectiveOn: '2016-07', reason: 'Both wrong' },
    });
    expectProblem(refused, 422, 'completion-dates-differ');
    // A completion date that is no date is refused under its own name, not under the business date it would have moved.
    const notADate = await r.app.inject({
      method: 'POST',
      url: '/plans/dorset-ccc/corrections',
      payload: { correctedEventId: completed, changes: { completedOn: '2016-02-30' }, reason: 'Typo' },
    });
    expectProblem(notADate, 422, 'invalid-correction');
    expect(notADate.json().detail).toMatch(/completedOn: must be a real calendar date/);
    expect(await r.store.count()).toBe(before);
  });

  it('bad corrected dates → 4xx problem+json, and nothing is written', async () => {
    const update = eventOf('ProgressUpdateRecorded', '1.3');
    const completed = eventOf('ActionCompleted', '1.5');
    const agreed = eventOf('ActionAgreed', '1.5');
    const correction = await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: update,
      changes: { narrative: 'The pilot is complete' },
      reason: 'Wording',
    });
    const before = await r.store.count();
    const correct = (payload: object) =>
      r.app.inject({ method: 'POST', url: '/plans/dorset-ccc/corrections', payload: { reason: 'Date typed wrong', ...payload } });

    expectProblem(await correct({ correctedEventId: update, correctedEffectiveOn: '2015-02-30' }), 400, 'validation-failed');
    expectProblem(await correct({ correctedEventId: update, correctedEffectiveOn: 'Sept 2015' }), 400, 'validation-failed');
    expectProblem(await correct({ correctedEventId: update }), 400, 'validation-failed');
    expectProblem(await correct({ correctedEventId: update, correctedEffectiveOn: '2027-01' }), 422, 'effective-date-in-future');
    expectProblem(await correct({ correctedEventId: completed, correctedEffectiveOn: '2014-12' }), 422, 'completion-before-agreement');
    expectProblem(await correct({ correctedEventId: agreed, correctedEffectiveOn: '2016-04' }), 422, 'completion-before-agreement');
    expectProblem(await correct({ correctedEventId: update, correctedEffectiveOn: '2001-01' }), 422, 'dated-before-agreement');
    expectProblem(
      await correct({ correctedEventId: eventOf('ActionAgreed', '1.3'), correctedEffectiveOn: '2026-01' }),
      422,
      'agreement-after-entries',
    );
    expectProblem(
      await r.app.inject({
        method: 'POST',
        url: '/plans/dorset-ccc/actions/1.3/progress-updates',
        payload: { narrative: 'Mapping begun', effectiveOn: '2001-01' },
      }),
      422,
      'dated-before-agreement',
    );
    expectProblem(await correct({ correctedEventId: update, changes: { effectiveOn: '2015-09' } }), 422, 'not-a-data-field');
    expectProblem(
      await correct({ correctedEventId: correction.eventIds[0], correctedEffectiveOn: '2015-09' }),
      422,
      'correction-date-not-correctable',
    );
    expectProblem(
      await correct({ correctedEventId: correction.eventIds[0], changes: { correctedEffectiveOn: '2031-01' } }),
      422,
      'effective-date-in-future',
    );
    // Restating what is in force: the corrected text, and the update's own date.
    expectProblem(
      await correct({ correctedEventId: update, changes: { narrative: 'The pilot is complete' } }),
      422,
      'correction-changes-nothing',
    );
    const updateDate = (await r.get('/plans/dorset-ccc/timeline')).json().entries.find((e: { eventId: string }) => e.eventId === update)
      .effectiveOn.date;
    expectProblem(await correct({ correctedEventId: update, correctedEffectiveOn: updateDate }), 422, 'correction-changes-nothing');
    expect(await r.store.count()).toBe(before);
  });
});
