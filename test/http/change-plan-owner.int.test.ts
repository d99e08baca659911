import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';

const url = '/plans/dorset/owner-changes';
const toIcb = { to: 'NHS Dorset ICB', reason: 'CCGs were replaced by integrated care boards', effectiveOn: '2022-07-01' };

describe('POST /plans/:planId/owner-changes', () => {
  const open = useSecuredLedger();

  it("hands the plan to another owner: 201, the view and timeline show it, and the old owner's managers may no longer hand it on", async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const changed = await ledger.call(manager, { method: 'POST', url, payload: toIcb });
    expect(changed.statusCode, changed.body).toBe(201);
    const position = changed.json().position as string;

    const view = (await ledger.call(manager, { method: 'GET', url: `/plans/dorset?minPosition=${position}` })).json();
    expect(view.owner).toBe('NHS Dorset ICB');
    expect(view.ownerChanges).toMatchObject([{ from: 'Dorset CCG', to: 'NHS Dorset ICB', effectiveOn: '2022-07-01' }]);
    const timeline = (await ledger.call(manager, { method: 'GET', url: `/plans/dorset/timeline?minPosition=${position}` })).json();
    expect(timeline.entries.at(-1)).toMatchObject({
      type: 'PlanOwnerChanged',
      about: { kind: 'plan', ref: null },
      changes: [{ field: 'owner', before: 'Dorset CCG', after: 'NHS Dorset ICB' }],
      reason: toIcb.reason,
    });

    const before = await ledger.store.count();
    const again = await ledger.call(manager, { method: 'POST', url, payload: { to: 'Someone else', reason: 'Again' } });
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({ code: 'not-your-organisation' });
    const icbManager = await ledger.keyFor('plan-manager', 'NHS Dorset ICB');
    expect((await ledger.call(icbManager, { method: 'POST', url, payload: { to: 'Someone else', reason: 'Again' } })).statusCode).toBe(201);
    expect(await ledger.store.count()).toBe(before + 1);
  });

  it('refuses, writing nothing: a plan manager of an organisation merely named on the plan, the same owner, and a missing reason', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const before = await ledger.store.count();
    const police = await ledger.keyFor('plan-manager', 'Dorset Police');
    const refusals = [
      { credential: police, payload: toIcb, status: 403, code: 'not-your-organisation' },
      {
        credential: manager,
        payload: { to: 'Dorset CCG', reason: 'No change' },
        status: 409,
        code: 'owner-unchanged',
      },
      { credential: manager, payload: { to: 'NHS Dorset ICB' }, status: 400, code: 'validation-failed' },
      { credential: manager, payload: { ...toIcb, from: 'Anyone' }, status: 400, code: 'validation-failed' },
    ];
    for (const r of refusals) {
      const res = await ledger.call(r.credential, { method: 'POST', url, payload: r.payload });
      expect(res.statusCode, res.body).toBe(r.status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: r.code });
    }
    expect(await ledger.store.count()).toBe(before);
  });

  it('shows a corrected new owner in the plan view', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const changed = (await ledger.call(manager, { method: 'POST', url, payload: toIcb })).json();
    const correction = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/corrections',
      payload: { correctedEventId: changed.eventIds[0], changes: { to: 'NHS Dorset Integrated Care Board' }, reason: 'Full name' },
    });
    expect(correction.statusCode, correction.body).toBe(201);
    const view = (await ledger.call(manager, { method: 'GET', url: `/plans/dorset?minPosition=${correction.json().position}` })).json();
    expect(view.owner).toBe('NHS Dorset Integrated Care Board');
    expect(view.ownerChanges).toMatchObject([{ to: 'NHS Dorset Integrated Care Board' }]);
  });
});
