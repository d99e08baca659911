import type { EventData } from '../../../../events/catalogue.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { requireOpenAction } from '../guards.ts';
import type { RegisteredPlan } from '../state.ts';

/** Withdraw an open action that will not be done, with the reason. */
export interface WithdrawAction {
  type: 'WithdrawAction';
  data: EventData<'ActionWithdrawn'>;
}

export const withdrawAction = (
  { data }: WithdrawAction,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'ActionWithdrawn'>[] => {
  requireOpenAction(plan, data.ref, 'withdrawing it');
  return [{ type: 'ActionWithdrawn', data, effectiveOn }];
};
