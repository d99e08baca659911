import type { Due } from '../../../../events/business-date.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { requireOpenAction } from '../guards.ts';
import { checkDeadlineChanged } from '../rules.ts';
import type { RegisteredPlan } from '../state.ts';

/** "October 2015, Revised to March 2018": a new deadline with its reason; the ledger records the one it replaces. */
export interface ReviseDeadline {
  type: 'ReviseDeadline';
  data: { ref: string; to: Due; reason: string; agreedBy?: string | undefined };
}

export const reviseDeadline = (
  { data }: ReviseDeadline,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'DeadlineRevised'>[] => {
  const action = requireOpenAction(plan, data.ref, 'revising its deadline');
  checkDeadlineChanged(action, data.to);
  const { ref, to, reason, agreedBy } = data;
  return [{ type: 'DeadlineRevised', data: { ref, from: action.due, to, reason, ...(agreedBy ? { agreedBy } : {}) }, effectiveOn }];
};
