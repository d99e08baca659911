import type { EventData } from '../../../../events/catalogue.ts';
import { conflict } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import type { Plan } from '../state.ts';

/** Register a plan: the first event of its stream, naming its owner and governance body. */
export interface RegisterPlan {
  type: 'RegisterPlan';
  data: EventData<'PlanRegistered'>;
}

export const registerPlan = ({ data }: RegisterPlan, plan: Plan, { effectiveOn }: DecisionContext): Decision<'PlanRegistered'>[] => {
  if (plan.status === 'registered') throw conflict('plan-exists', `Plan ${data.planId} is already registered`);
  return [{ type: 'PlanRegistered', data, effectiveOn }];
};
