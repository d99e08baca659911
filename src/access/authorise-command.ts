import type { PlanCommand } from '../domain/plan/commands.ts';
import type { Plan, RegisteredPlan } from '../domain/plan/state.ts';
import type { Principal } from './principal.ts';

export type Authorisation = { allowed: true } | { allowed: false; code: string; reason: string };

const allow: Authorisation = { allowed: true };
const deny = (code: string, reason: string): Authorisation => ({ allowed: false, code, reason });

/** Organisations compare by canonical name, so every alias of a body is that body. */
type Canonical = (name: string) => string;

/**
 * Every organisation the plan names: its owner, its governance body, the bodies its recommendations are addressed to,
 * and its actions' leads and partners.
 */
const namedOn = (plan: RegisteredPlan, canonical: Canonical): Set<string> => {
  const names = [plan.owner, ...(plan.governanceBody ? [plan.governanceBody] : [])];
  for (const r of plan.recommendations.values()) names.push(...r.addressedTo);
  for (const a of plan.actions.values()) names.push(...a.leadOrganisations, ...a.partnerOrganisations);
  return new Set(names.map(canonical));
};

/** Whose work a progress update or evidence is about: an action's leads and partners, or the addressees of a recommendation. */
const responsibleFor = (plan: RegisteredPlan, target: { kind: 'action' | 'recommendation'; ref: string }, canonical: Canonical) => {
  if (target.kind === 'action') {
    const action = plan.actions.get(target.ref);
    return action ? [...action.leadOrganisations, ...action.partnerOrganisations].map(canonical) : undefined;
  }
  return plan.recommendations.get(target.ref)?.addressedTo.map(canonical);
};

/**
 * May this principal run this command on this plan? Pure, and run before decide so a
 * refusal writes nothing. Route access has already admitted only contributors and plan
 * managers to commands; this adds the organisation scope:
 * - a plan manager runs every plan command on a plan their organisation owns or is named
 *   on, registers plans only with their own organisation as owner, and hands a plan to
 *   another owner only when their organisation owns it; only the owner's plan managers
 *   retract a plan or reinstate it;
 * - a contributor records progress and links evidence only on actions their organisation
 *   leads or partners, or recommendations addressed to it.
 * A command on a plan that does not exist is left to decide, which answers 404.
 */
export const authorise = (principal: Principal, command: PlanCommand, plan: Plan, canonical: Canonical): Authorisation => {
  const mine = canonical(principal.organisation);
  if (principal.role === 'plan-manager') {
    if (command.type === 'RegisterPlan')
      return canonical(command.data.owner) === mine
        ? allow
        : deny('not-your-organisation', `A plan manager registers plans owned by ${mine} only`);
    if (plan.status !== 'registered') return allow;
    // Handing a plan to another organisation is its owner's decision alone, not that of every body named on it.
    if (command.type === 'ChangePlanOwner')
      return canonical(plan.owner) === mine
        ? allow
        : deny('not-your-organisation', `Only a plan manager of ${plan.owner}, the plan's owner, changes its owner`);
    // Taking a whole plan out of every view, or putting it back, is for its owner alone, not every organisation it names.
    if (command.type === 'RetractPlan' || command.type === 'ReinstatePlan')
      return canonical(plan.owner) === mine
        ? allow
        : deny(
            'not-your-organisation',
            `Only a plan manager of ${canonical(plan.owner)}, which owns plan ${plan.planId}, may retract or reinstate it`,
          );
    return namedOn(plan, canonical).has(mine)
      ? allow
      : deny('not-your-organisation', `${mine} neither owns nor is named on plan ${plan.planId}`);
  }
  if (principal.role === 'contributor') {
    if (command.type !== 'RecordProgressUpdate' && command.type !== 'LinkEvidence')
      return deny('role-not-permitted', 'A contributor records progress updates and links evidence only');
    if (plan.status !== 'registered') return allow;
    const responsible = responsibleFor(plan, command.data.target, canonical);
    // An unknown action or recommendation is decide's 404; only a known one of another organisation is refused here.
    if (responsible === undefined) return allow;
    return responsible.includes(mine)
      ? allow
      : deny('not-your-organisation', `${mine} neither leads nor partners ${command.data.target.kind} ${command.data.target.ref}`);
  }
  return deny('role-not-permitted', `The ${principal.role} role cannot change plans`);
};
