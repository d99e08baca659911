import { sameDue, type Due } from '../../../events/business-date.ts';
import { endsBefore, isInFuture } from '../calendar.ts';
import { conflict, unprocessable } from '../errors.ts';
import type { PlanEvent } from '../../../events/catalogue.ts';
import type { ActionState, RegisteredPlan } from './state.ts';

/**
 * The business rules a command's data must pass, apart from the state checks that say
 * whether the command may happen at all. They live here, not in the deciders, because a
 * correction must pass them too: a corrected completion date is still a completion date.
 */

export const checkRecommendationsExist = (plan: RegisteredPlan, refs: readonly string[]): void => {
  const missing = refs.filter((r) => !plan.recommendations.has(r));
  if (missing.length > 0) throw unprocessable('unknown-recommendation', `Recommendation ${missing.join(', ')} does not exist in this plan`);
};

export const checkCompletionDate = (action: ActionState, completedOn: string, today: string): void => {
  if (isInFuture(completedOn, today)) throw unprocessable('completion-in-future', `completedOn ${completedOn} is after today (${today})`);
  if (endsBefore(completedOn, action.agreedOn))
    throw unprocessable(
      'completion-before-agreement',
      `completedOn ${completedOn} is before action ${action.ref} was agreed (${action.agreedOn})`,
    );
};

/** The action an event is about, other than by agreeing it: the ref it names, or undefined. */
export const actionAbout = (event: PlanEvent): string | undefined => {
  switch (event.type) {
    case 'ProgressUpdateRecorded':
    case 'EvidenceLinked':
    case 'EvidenceFileAttached':
      return event.data.target.kind === 'action' ? event.data.target.ref : undefined;
    case 'ActionLeadChanged':
    case 'DeadlineRevised':
    case 'ActionCompleted':
    case 'ActionSubsumed':
    case 'ActionWithdrawn':
    case 'ActionReopened':
      return event.data.ref;
    default:
      return undefined;
  }
};

/**
 * Nothing happens to an action before it was agreed: an update, a revision or evidence dated
 * earlier is a mistyped date (a year wrong), and would show the action as reported on before it
 * existed, and "recorded late" by years. Month and day dates compare by whether they can
 * overlap: an update of August 2017 may belong to an action agreed on 15 August 2017.
 */
export const checkDatedAfterAgreement = (action: ActionState, effectiveOn: string, what = `effectiveOn ${effectiveOn}`): void => {
  if (endsBefore(effectiveOn, action.agreedOn))
    throw unprocessable(
      'dated-before-agreement',
      `${what} is before action ${action.ref} was agreed (${action.agreedOn}): nothing about an action can happen before it was agreed`,
    );
};

export const checkDeadlineChanged = (action: ActionState, to: Due): void => {
  if (sameDue(action.due, to)) throw conflict('deadline-unchanged', `The new deadline equals the current one for action ${action.ref}`);
};

export const sameOrganisations = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

export const checkLeadChanged = (action: ActionState, to: readonly string[], partnersTo: unknown): void => {
  if (sameOrganisations(action.leadOrganisations, to) && partnersTo === undefined)
    throw conflict('lead-unchanged', `Action ${action.ref} is already led by ${to.join(', ')}`);
};

export const checkSubsumptionTarget = (
  plan: RegisteredPlan,
  ref: string,
  into: { kind: 'action'; ref: string } | { kind: 'programme'; name: string },
): void => {
  if (into.kind !== 'action') return;
  if (into.ref === ref) throw unprocessable('subsumed-into-itself', `Action ${into.ref} cannot be subsumed into itself`);
  const target = plan.actions.get(into.ref);
  if (!target) throw unprocessable('unknown-subsumption-target', `Action ${into.ref} does not exist in this plan`);
  // Work handed to an action that was itself subsumed or withdrawn goes nowhere, and
  // handing two actions to each other would close both: name where the work went instead.
  if (target.status === 'subsumed' || target.status === 'withdrawn')
    throw unprocessable(
      'subsumption-target-closed',
      `Action ${into.ref} is ${target.status}: subsume into the action or programme that now carries its work`,
    );
};
