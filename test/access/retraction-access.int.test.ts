import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { DORSET, seed } from '../import/import-support.ts';

/**
 * Retracting a plan, or reinstating it, is for a plan manager of the organisation that owns
 * it: not a plan manager of an organisation the plan only names, not a contributor.
 */
const open = useSecuredLedger();
const PLAN = 'dorset-crisis-care-concordat-action-plan';

describe('who may retract a plan', () => {
  it("lets the owner's plan manager retract and reinstate, and refuses others with 403, writing nothing", async () => {
    const ledger = await open();
    const owner = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const imported = await ledger.call(owner, {
      method: 'POST',
      url: '/imports',
      payload: { fileName: DORSET, content: seed(DORSET).toString('utf8'), owner: 'Dorset CCG' },
    });
    expect(imported.statusCode).toBe(201);
    const count = await ledger.store.count();
    const retract = (credential: string) =>
      ledger.call(credential, { method: 'POST', url: `/plans/${PLAN}/retraction`, payload: { reason: 'Imported from the wrong file' } });

    // Dorset Police leads actions in this plan, so its plan manager may change them, but not withdraw the owner's plan.
    const named = await retract(await ledger.keyFor('plan-manager', 'Dorset Police'));
    expect(named.statusCode).toBe(403);
    expect(named.json()).toMatchObject({ code: 'not-your-organisation' });
    const contributor = await retract(await ledger.keyFor('contributor', 'Dorset CCG'));
    expect(contributor.statusCode).toBe(403);
    expect(contributor.json()).toMatchObject({ code: 'role-not-permitted' });
    expect(await ledger.store.count()).toBe(count);

    expect((await retract(owner)).statusCode).toBe(201);
    const reinstated = await ledger.call(owner, {
      method: 'POST',
      url: `/plans/${PLAN}/reinstatement`,
      payload: { reason: 'Right file after all' },
    });
    expect(reinstated.statusCode).toBe(201);
    expect(await ledger.store.count()).toBe(count + 2);
  });
});
