import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
type Ev = { eventId: string; type: string; data: { ref?: string } };
const completionOf = async (ref: string) =>
  ((await r.app.inject('/plans/dorset-ccc/events')).json().events as Ev[]).find((e) => e.type === 'ActionCompleted' && e.data.ref === ref)!
    .eventId;
const correct = async (payload: object) => (await r.post('/plans/dorset-ccc/corrections', { reason: 'r', ...payload })).eventIds[0]!;

beforeEach(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
  await r.post('/plans/dorset-ccc/actions/1.4/completion', { completedOn: '2016-06' });
});
afterEach(() => r.close());

describe('a correction redirected by a correction of a correction of it', () => {
  it('moves the completion it now names in every view, lists and reports included', async () => {
    const c15 = await completionOf('1.5');
    const c14 = await completionOf('1.4');
    const c1 = await correct({ correctedEventId: c15, changes: { completedOn: '2016-05-10' } }); // 1.5: 2016-03 -> 2016-05-10
    const c2 = await correct({ correctedEventId: c1, changes: { reason: 'Signed off in May' } }); // amends C1's reason
    await correct({ correctedEventId: c2, changes: { changes: { correctedEventId: c14 } } }); // C2 now redirects C1 to 1.4's completion

    // The plan view (and the decider) read C1 as correcting 1.4's completion.
    const plan = (await r.get('/plans/dorset-ccc?effectiveOn=2016-05-20')).json();
    const a14 = plan.actions.find((a: { ref: string }) => a.ref === '1.4');
    expect(a14).toMatchObject({ status: 'completed', closure: { completedOn: '2016-05-10' } });

    // The deadlines report at the same business date must agree with the plan view.
    const row = async (q: string) =>
      ((await r.get(`/reports/deadlines?from=2014-01&to=2027-12${q}`)).json().actions as { ref: string; completedOn: string }[]).find(
        (a) => a.ref === '1.4',
      )!;
    expect((await row('')).completedOn).toBe('2016-05-10');
    expect((await row('&effectiveOn=2016-05-20')).completedOn).toBe('2016-05-10');
  });
});
