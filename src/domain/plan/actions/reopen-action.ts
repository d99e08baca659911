import type { EventData } from '../../../../events/catalogue.ts';
import { closedStatuses } from '../../action-status.ts';
import { conflict } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { requireAction } from '../guards.ts';
import type { RegisteredPlan } from '../state.ts';

/** Reopen a completed, subsumed or withdrawn action, with the reason, so work can be recorded on it again. */
export interface ReopenAction {
  type: 'ReopenAction';
  data: EventData<'ActionReopened'>;
}

export const reopenAction = (
  { data }: ReopenAction,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'ActionReopened'>[] => {
  const action = requireAction(plan, data.ref);
  if (!closedStatuses.has(action.status)) throw conflict('action-not-closed', `Action ${data.ref} is ${action.status}, not closed`);
  return [{ type: 'ActionReopened', data, effectiveOn }];
};
