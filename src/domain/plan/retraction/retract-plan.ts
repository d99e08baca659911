import type { EventData } from '../../../../events/catalogue.ts';
import { conflict } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import type { RegisteredPlan } from '../state.ts';

/**
 * Retract a plan that should not be in the ledger as it stands (a document imported by
 * mistake), with the reason. It leaves every current view and report; its history stays.
 */
export interface RetractPlan {
  type: 'RetractPlan';
  data: EventData<'PlanRetracted'>;
}

export const retractPlan = ({ data }: RetractPlan, plan: RegisteredPlan, { effectiveOn }: DecisionContext): Decision<'PlanRetracted'>[] => {
  if (plan.retracted) throw conflict('plan-retracted', `Plan ${plan.planId} is already retracted`);
  return [{ type: 'PlanRetracted', data, effectiveOn }];
};
