import type { Decision, DecisionContext } from '../decision.ts';
import { requireOpenAction } from '../guards.ts';
import { checkLeadChanged } from '../rules.ts';
import type { RegisteredPlan } from '../state.ts';

/** Hand an open action to other lead organisations (and, optionally, other partners); the ledger records whom it leaves. */
export interface ChangeActionLead {
  type: 'ChangeActionLead';
  data: { ref: string; to: string[]; partnersTo?: string[] | undefined };
}

export const changeActionLead = (
  { data }: ChangeActionLead,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'ActionLeadChanged'>[] => {
  const action = requireOpenAction(plan, data.ref, 'changing its lead');
  checkLeadChanged(action, data.to, data.partnersTo);
  const partners = data.partnersTo ? { partnersFrom: action.partnerOrganisations, partnersTo: data.partnersTo } : {};
  return [{ type: 'ActionLeadChanged', data: { ref: data.ref, from: action.leadOrganisations, to: data.to, ...partners }, effectiveOn }];
};
