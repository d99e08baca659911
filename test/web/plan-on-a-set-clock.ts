import { expect } from 'vitest';
import type { useSecuredLedger } from '../support/access.ts';

/**
 * A secured ledger whose clock a test sets (`at`), a plan manager of Dorset CCG recording through the API (`post`,
 * each answered 201 with its event ids) and, once the views have caught up with everything recorded (`caughtUp`), a
 * viewer of Dorset CCG reading the API (`read`, each answered 200), and a plan registered with its actions agreed
 * (`registerPlan`): what a test of entries recorded on given days needs.
 */
export const planOnASetClock = async (open: ReturnType<typeof useSecuredLedger>, start: string) => {
  let now = new Date(start);
  const ledger = await open({}, { web: {}, clock: () => now });
  const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
  const post = async (url: string, payload: object) => {
    const res = await ledger.call(manager, { method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { eventIds: string[] };
  };
  const at = (instant: string) => void (now = new Date(instant));
  const caughtUp = async () => {
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const viewer = await ledger.keyFor('viewer', 'Dorset CCG');
    return async (url: string) => {
      const res = await ledger.call(viewer, { method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
  };
  /** Registers a Dorset CCG plan in January 2026; `agree` agrees an action of it then, led by Dorset CCG, and gives its event id. */
  const registerPlan = async (planId: string, title: string) => {
    await post('/plans', { planId, title, kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2026-01' });
    const agree = async (ref: string, due: object) =>
      (
        await post(`/plans/${planId}/actions`, {
          ref,
          text: `Action ${ref}`,
          leadOrganisations: ['Dorset CCG'],
          due,
          effectiveOn: '2026-01',
        })
      ).eventIds[0]!;
    return { agree };
  };
  return { ledger, post, at, caughtUp, registerPlan };
};
