import type { Principal } from '../access/principal.ts';
import { leadsOf, partnersOf } from '../../projections/plan-status/plan-lines.ts';
import { currentOwner, type ActionDoc, type PlanDoc } from '../../projections/plan-status/document.ts';

type Canonical = (name: string) => string;

/**
 * Every organisation the plan names, as the command path counts them (namedOn in src/access/authorise-command.ts):
 * its owner, its governance body, the bodies its recommendations are addressed to, and its actions' leads and partners.
 */
const namedOn = (doc: PlanDoc, canonical: Canonical): Set<string> =>
  new Set(
    [
      currentOwner(doc),
      ...(doc.plan.governanceBody ? [doc.plan.governanceBody] : []),
      ...doc.recommendations.flatMap((r) => r.recorded.addressedTo),
      ...doc.actions.flatMap((a) => [...leadsOf(a), ...partnersOf(a)]),
    ].map(canonical),
  );

/**
 * Whether the pages offer this person a plan manager's forms on the plan (corrections, deadline revisions,
 * completions): a plan manager whose organisation owns the plan or is named on it, as the command path authorises.
 */
export const managesPlan = (person: Principal | undefined, doc: PlanDoc, canonical: Canonical): boolean =>
  person?.role === 'plan-manager' && namedOn(doc, canonical).has(canonical(person.organisation));

/**
 * Why the pages offer a writer none of an action's forms, or undefined when they offer them: a plan manager's
 * organisation is not on the plan ('plan'), or a contributor's neither leads nor partners the action ('action'). The
 * command path (src/access/authorise-command.ts) still decides when a form is sent.
 */
export const notOursOn = (writer: Principal, doc: PlanDoc, action: ActionDoc, canonical: Canonical): 'plan' | 'action' | undefined => {
  if (writer.role === 'plan-manager') return managesPlan(writer, doc, canonical) ? undefined : 'plan';
  const mine = canonical(writer.organisation);
  return [...leadsOf(action), ...partnersOf(action)].some((name) => canonical(name) === mine) ? undefined : 'action';
};

/** Why a form opened anyway is refused (notOursOn), in words for its page, or undefined when it is not. */
export const notOursRefusal = (writer: Principal, doc: PlanDoc, action: ActionDoc, canonical: Canonical): string | undefined => {
  const notOurs = notOursOn(writer, doc, action, canonical);
  if (!notOurs) return undefined;
  const organisation = canonical(writer.organisation);
  return notOurs === 'plan'
    ? `${organisation} neither owns plan ${doc.planId} nor is named on it, so you cannot record on its actions.`
    : `${organisation} neither leads nor partners action ${action.ref}, so you cannot record on it.`;
};
