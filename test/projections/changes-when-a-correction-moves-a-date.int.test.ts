import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDorsetPlan, T } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
});
afterEach(() => r.close());

const CORRECTED = '2026-11-24T09:00:00.000Z';
const AFTER = '2026-11-24T10:00:00.000Z';
/** What the ledger said of the plan in June 2016 before the correction, against what it said after it. */
const changesAcross = () => r.get(`/plans/dorset-ccc/changes?from=${T.now}&to=${AFTER}&effectiveOn=2016-06`);
/** The event id of the plan's first entry of a type (for an action, of that action). */
const eventOf = async (type: string, ref?: string) => {
  type Entry = { type: string; about: { ref: string | null }; eventId: string };
  const { entries } = (await r.get('/plans/dorset-ccc/timeline')).json() as { entries: Entry[] };
  return entries.find((e) => e.type === type && (ref === undefined || e.about.ref === ref))!.eventId;
};

/** A correction, recorded between the two ledger times compared, that moves an entry's date to January 2019. */
const movedToJanuary2019 = async (correctedEventId: string, reason: string) => {
  r.setNow(CORRECTED);
  const correction = await r.post('/plans/dorset-ccc/corrections', { correctedEventId, correctedEffectiveOn: '2019-01', reason });
  r.setNow('2026-11-24T12:00:00.000Z');
  return correction;
};

/**
 * Read at one business date, a plan can lose an action, or the whole plan, between two ledger times: a correction
 * recorded in between moves the date it was agreed (or registered) past that business date. An auditor comparing two
 * board reports must see it go.
 */
describe('the changes at one business date when a correction in between moves a date past it', () => {
  it('list an action whose agreement moved past the business date as removed', async () => {
    const correction = await movedToJanuary2019(
      await eventOf('ActionAgreed', '1.4'),
      'Agreed at the January 2019 board, not in March 2015',
    );
    const res = await changesAcross();
    expect(res.statusCode).toBe(200);
    const changes = res.json();
    expect(changes.actions).toEqual([{ ref: '1.4', change: 'removed', fields: [] }]);
    expect(changes.revisionBefore).not.toBeNull();
    expect(changes.revisionAfter).not.toBeNull();
    expect(changes.entries.map((e: { eventId: string }) => e.eventId)).toEqual(correction.eventIds);
  });

  it('compare a plan whose registration moved past the business date with the plan gone, every action removed', async () => {
    const correction = await movedToJanuary2019(await eventOf('PlanRegistered'), 'Registered in January 2019, not March 2015');
    const res = await changesAcross();
    expect(res.statusCode).toBe(200);
    const changes = res.json();
    expect(changes.revisionBefore).not.toBeNull();
    expect(changes.revisionAfter).toBeNull();
    expect(changes.plan).toEqual([]);
    expect(changes.actions).toEqual(['1.3', '1.4', '1.5'].map((ref) => ({ ref, change: 'removed', fields: [] })));
    expect(changes.recommendations).toEqual([
      { ref: 'R1', assuranceBefore: expect.objectContaining({ state: 'awaiting-assurance' }), assuranceAfter: null },
    ]);
    expect(changes.entries.map((e: { eventId: string }) => e.eventId)).toEqual(correction.eventIds);
    // Not there at either end, there is still nothing to compare.
    expect((await r.get(`/plans/dorset-ccc/changes?from=${AFTER}&to=2026-11-24T11:00:00.000Z&effectiveOn=2016-06`)).statusCode).toBe(404);
  });
});
