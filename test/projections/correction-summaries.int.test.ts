import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

/** A correction's line in the audit trail says what it changed, from what to what, and of which action. */
let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
});
afterEach(() => r.close());

type Entry = { eventId: string; type: string; summary: string };
const eventsOf = async () =>
  (await r.app.inject('/plans/dorset-ccc/events')).json().events as { eventId: string; type: string; data: { ref?: string } }[];

describe("a correction's summary in the timelines", () => {
  it('names the action and each field it changed with its value before and after, and a correction of it the same way', async () => {
    const revision = (await eventsOf()).find((e) => e.type === 'DeadlineRevised' && e.data.ref === '1.3')!.eventId;
    const first = await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: revision,
      changes: { to: { kind: 'date', date: '2018-04', wording: 'Revised to April 2018' } },
      reason: 'The board minutes say April',
    });
    const second = await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: first.eventIds[0],
      changes: { changes: { to: { kind: 'date', date: '2018-05' } } },
      reason: 'May, as agreed at the following board',
    });
    const expected = [
      'Correction of an earlier deadline revision (action 1.3): new deadline from March 2018 ("Revised to March 2018") to April 2018 ' +
        '("Revised to April 2018")',
      'Correction of an earlier correction. Deadline revision (action 1.3): new deadline from April 2018 ("Revised to April 2018") to May 2018',
    ];
    for (const url of ['/plans/dorset-ccc/timeline', '/plans/dorset-ccc/actions/1.3/timeline']) {
      const entries = (await r.app.inject(url)).json().entries as Entry[];
      const summaries = [first.eventIds[0], second.eventIds[0]].map((id) => entries.find((e) => e.eventId === id)?.summary);
      expect(summaries, url).toEqual(expected);
    }
  });

  it('says what a correction of a correction did to the entries that stand: a field it drops reverts, a redirect names both entries', async () => {
    const idOf = async (written: Promise<{ eventIds: string[] }>) => (await written).eventIds[0]!;
    const revise = (to: string) =>
      r.post('/plans/dorset-ccc/actions/1.4/deadline-revisions', { to: { kind: 'date', date: to }, reason: 'Slipped', agreedBy: 'Exec' });
    const first = await idOf(revise('2027-03'));
    const other = (await eventsOf()).find((e) => e.type === 'DeadlineRevised' && e.data.ref === '1.3')!.eventId;
    const c1 = await idOf(
      r.post('/plans/dorset-ccc/corrections', {
        correctedEventId: first,
        changes: { to: { kind: 'date', date: '2027-04' }, agreedBy: 'Board' },
        reason: 'Minutes',
      }),
    );
    // Its changes replaced whole: the revision's agreedBy goes back to what it recorded.
    const c2 = await idOf(
      r.post('/plans/dorset-ccc/corrections', {
        correctedEventId: c1,
        changes: { changes: { to: { kind: 'date', date: '2027-05' } } },
        reason: 'May',
      }),
    );
    const c3 = await idOf(
      r.post('/plans/dorset-ccc/corrections', { correctedEventId: c1, changes: { correctedEventId: other }, reason: 'The other one' }),
    );
    const c4 = await idOf(
      r.post('/plans/dorset-ccc/corrections', {
        correctedEventId: c2,
        changes: { changes: { changes: { to: { kind: 'date', date: '2027-07' } } } },
        reason: 'July',
      }),
    );
    const entries = (await r.app.inject('/plans/dorset-ccc/timeline')).json().entries as Entry[];
    const summaryOf = (id: string) => entries.find((e) => e.eventId === id)?.summary;
    expect(summaryOf(c2)).toBe(
      'Correction of an earlier correction. Deadline revision (action 1.4): agreed by from Board to Exec; new deadline from April 2027 to May 2027',
    );
    expect(summaryOf(c3)).toBe(
      'Correction of an earlier correction. Deadline revision (action 1.4): new deadline from May 2027 to March 2027. ' +
        'Deadline revision (action 1.3): new deadline from March 2018 ("Revised to March 2018") to May 2027',
    );
    expect(summaryOf(c4)).toBe(
      'Correction of an earlier correction. Deadline revision (action 1.3): new deadline from May 2027 to July 2027',
    );
  });
});
