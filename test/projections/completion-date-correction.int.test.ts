import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEvent } from '../support/events.ts';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

/**
 * A completion's business date is its completion date. The decider stores a correction of
 * either with both; a correction recorded with the completion date alone (before the decider
 * did) is read the same way, so the completion counts on the business clock from the date it shows.
 */
let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
});
afterEach(() => r.close());

const action15 = async (query: string) =>
  (await r.get(`/plans/dorset-ccc${query}`)).json().actions.find((a: { ref: string }) => a.ref === '1.5');

describe('a completion date corrected alone, as recorded before the decider stored both dates', () => {
  it('moves the date the completion counts from, in the plan, the lists, a read at both clocks and its history', async () => {
    const events = (await r.app.inject('/plans/dorset-ccc/events')).json().events as { eventId: string; type: string; revision: string }[];
    const completion = events.find((e) => e.type === 'ActionCompleted')!;
    const correction = makeEvent({
      type: 'EntryCorrected',
      schemaVersion: 2,
      effectiveOn: { date: '2026-11-23', precision: 'day' },
      data: {
        correctedEventId: completion.eventId,
        correctedType: 'ActionCompleted',
        changes: { completedOn: '2016-05-10' },
        reason: 'The sign-off was in May',
      },
    });
    await r.store.append({
      stream: 'plan-dorset-ccc',
      commandId: correction.commandId,
      expectedRevision: BigInt(events.at(-1)!.revision),
      events: [correction],
    });
    await r.post('/plans/dorset-ccc/sections', { sectionRef: '9', title: 'Read after the correction' });
    expect(await action15('?effectiveOn=2016-04')).toMatchObject({ status: 'open', computedStatus: 'overdue' });
    expect(await action15('?effectiveOn=2016-05-10')).toMatchObject({
      status: 'completed',
      closure: { completedOn: '2016-05-10', effectiveOn: '2016-05-10' },
    });
    expect(await action15('')).toMatchObject({ lastUpdatedOn: '2016-05-10', closure: { effectiveOn: '2016-05-10' } });
    const asOf = new Date().toISOString();
    expect(await action15(`?effectiveOn=2016-04&asOf=${asOf}`)).toMatchObject({ status: 'open' });
    const listed = (await r.get('/plans?effectiveOn=2016-04')).json().plans[0];
    expect(listed.actionsByStatus.completed ?? 0).toBe(0);

    // The history says what the correction moved: both dates, before and after.
    const timeline = (await r.get('/plans/dorset-ccc/actions/1.5/timeline')).json().entries as {
      type: string;
      eventId: string;
      effectiveOn: { date: string };
      recordedEffectiveOn: { date: string } | null;
      changes: { field: string; before: unknown; after: unknown }[];
      summary: string;
    }[];
    expect(timeline.find((e) => e.eventId === completion.eventId)).toMatchObject({
      effectiveOn: { date: '2016-05-10' },
      recordedEffectiveOn: { date: '2016-03' },
    });
    const entry = timeline.find((e) => e.eventId === correction.eventId)!;
    expect(entry.changes).toEqual([
      { field: 'completedOn', before: '2016-03', after: '2016-05-10' },
      { field: 'effectiveOn', before: '2016-03', after: '2016-05-10' },
    ]);
    expect(entry.summary).toBe('Correction of an earlier completion (action 1.5): date completed from March 2016 to 10 May 2016');
  });
});
