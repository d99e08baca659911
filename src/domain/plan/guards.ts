import { closedStatuses } from '../action-status.ts';
import { conflict, notFound } from '../errors.ts';
import type { ActionState, Plan, RegisteredPlan } from './state.ts';

/** Every command but a registration needs the plan to exist. */
export const requirePlan = (plan: Plan): RegisteredPlan => {
  if (plan.status !== 'registered') throw notFound('plan-not-found', 'No plan with this id is registered');
  return plan;
};

export const requireAction = (plan: RegisteredPlan, ref: string): ActionState => {
  const action = plan.actions.get(ref);
  if (!action) throw notFound('action-not-found', `Action ${ref} does not exist in this plan`);
  return action;
};

/** Progress, revisions, reassignments and closures need an open action: a closed one must be reopened first. */
export const requireOpenAction = (plan: RegisteredPlan, ref: string, doing: string): ActionState => {
  const action = requireAction(plan, ref);
  if (closedStatuses.has(action.status)) throw conflict('action-closed', `Action ${ref} is ${action.status}: reopen it before ${doing}`);
  return action;
};

export const requireRecommendation = (plan: RegisteredPlan, ref: string): void => {
  if (!plan.recommendations.has(ref)) throw notFound('recommendation-not-found', `Recommendation ${ref} does not exist in this plan`);
};
