import type { EventData } from '../../../../events/catalogue.ts';
import { conflict } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import type { RegisteredPlan } from '../state.ts';

/** Reverse a retraction: the plan returns to the current views and reports, with the reason. */
export interface ReinstatePlan {
  type: 'ReinstatePlan';
  data: EventData<'PlanReinstated'>;
}

export const reinstatePlan = (
  { data }: ReinstatePlan,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'PlanReinstated'>[] => {
  if (!plan.retracted) throw conflict('plan-not-retracted', `Plan ${plan.planId} is not retracted, so there is nothing to reinstate`);
  return [{ type: 'PlanReinstated', data, effectiveOn }];
};
