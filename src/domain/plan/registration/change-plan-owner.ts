import { conflict } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import type { RegisteredPlan } from '../state.ts';

/** Hand the plan to another owning organisation, with the reason; the ledger records whom it leaves. */
export interface ChangePlanOwner {
  type: 'ChangePlanOwner';
  data: { to: string; reason: string };
}

export const changePlanOwner = (
  { data }: ChangePlanOwner,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'PlanOwnerChanged'>[] => {
  if (data.to === plan.owner) throw conflict('owner-unchanged', `Plan ${plan.planId} is already owned by ${data.to}`);
  return [{ type: 'PlanOwnerChanged', data: { from: plan.owner, to: data.to, reason: data.reason }, effectiveOn }];
};
