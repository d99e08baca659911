import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDorsetPlan, T } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
  r.setNow('2026-08-01T09:00:00.000Z');
  await r.post('/plans/dorset-ccc/owner-changes', {
    to: 'NHS Dorset',
    reason: 'Clinical commissioning groups were replaced by integrated care boards',
    effectiveOn: '2022-07-01',
  });
  await r.post('/plans/dorset-ccc/sections', { sectionRef: '2', title: 'Urgent and emergency access', effectiveOn: '2022-07' });
  r.setNow(T.now);
});
afterEach(() => r.close());

/** A board asks who answered for the plan, and what it covered, as well as what became of its actions. */
describe('the changes of a plan between two points', () => {
  it("name the plan's own fields that changed, its owner and its sections, before and after, on either clock", async () => {
    const recorded = (await r.get(`/plans/dorset-ccc/changes?from=${T.updated}&to=${T.now}`)).json();
    const expected = [
      { field: 'owner', before: 'Dorset CCG', after: 'NHS Dorset' },
      {
        field: 'sections',
        before: [{ sectionRef: '1', title: 'Access to Support Before Crisis' }],
        after: [
          { sectionRef: '1', title: 'Access to Support Before Crisis' },
          { sectionRef: '2', title: 'Urgent and emergency access' },
        ],
      },
    ];
    expect(recorded.plan).toEqual(expected);
    expect((await r.get('/plans/dorset-ccc/changes?clock=effective&from=2022-06&to=2022-07')).json().plan).toEqual(expected);
    // Nothing of the plan itself changed before: and a plan not registered at `from` brings its fields with it.
    expect((await r.get(`/plans/dorset-ccc/changes?from=${T.agreed}&to=${T.updated}`)).json().plan).toEqual([]);
    expect((await r.get(`/plans/dorset-ccc/changes?from=2025-01-01&to=${T.now}`)).json().plan).toEqual([]);
  });
});
