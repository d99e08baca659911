import type { EventData } from '../../../../events/catalogue.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { requireOpenAction } from '../guards.ts';
import { checkCompletionDate } from '../rules.ts';
import type { RegisteredPlan } from '../state.ts';

/** Complete an open action on a date: not in the future, not before it was agreed. Completed is not assured. */
export interface CompleteAction {
  type: 'CompleteAction';
  data: EventData<'ActionCompleted'>;
}

export const completeAction = (
  { data }: CompleteAction,
  plan: RegisteredPlan,
  { today }: DecisionContext,
): Decision<'ActionCompleted'>[] => {
  const action = requireOpenAction(plan, data.ref, 'completing it');
  checkCompletionDate(action, data.completedOn, today);
  // A completion happened on its completion date: that is its business date, whatever the request said.
  return [{ type: 'ActionCompleted', data, effectiveOn: data.completedOn }];
};
