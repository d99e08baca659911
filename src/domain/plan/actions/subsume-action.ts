import type { EventData } from '../../../../events/catalogue.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { requireOpenAction } from '../guards.ts';
import { checkSubsumptionTarget } from '../rules.ts';
import type { RegisteredPlan } from '../state.ts';

/** "This has been subsumed into the ACP": an open action's work continues in another action or a named programme. */
export interface SubsumeAction {
  type: 'SubsumeAction';
  data: EventData<'ActionSubsumed'>;
}

export const subsumeAction = (
  { data }: SubsumeAction,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'ActionSubsumed'>[] => {
  requireOpenAction(plan, data.ref, 'subsuming it');
  checkSubsumptionTarget(plan, data.ref, data.into);
  return [{ type: 'ActionSubsumed', data, effectiveOn }];
};
