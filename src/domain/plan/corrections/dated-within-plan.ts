import { EFFECTIVE_ON, type Overlay } from '../../correction-overlay.ts';
import { endsBefore } from '../../calendar.ts';
import { unprocessable } from '../../errors.ts';
import { checkDatedAfterAgreement, checkDatedAfterRegistration } from '../rules.ts';
import type { PlanEvent } from '../../../../events/catalogue.ts';
import type { RegisteredPlan } from '../state.ts';

/**
 * A corrected business date is held to the rule every command is held to (decide.ts): nothing in
 * a plan dated before its registration, nor about an action before its agreement. Both ways: an
 * entry's date moved before them, and a registration or an agreement moved after entries.
 */

/** What is known rather than what happened: these count at every business date and are dated when recorded. */
const KNOWLEDGE = new Set(['EntryCorrected', 'PlanRetracted', 'PlanReinstated']);

/** The action an entry is about, where the rule for it is this one (a completion has its own: completion-before-agreement). */
const actionOf = (fact: PlanEvent): string | undefined => {
  switch (fact.type) {
    case 'ActionLeadChanged':
    case 'DeadlineRevised':
    case 'ActionSubsumed':
    case 'ActionWithdrawn':
    case 'ActionReopened':
      return fact.data.ref;
    case 'ProgressUpdateRecorded':
    case 'EvidenceLinked':
    case 'EvidenceFileAttached':
      return fact.data.target.kind === 'action' ? fact.data.target.ref : undefined;
    default:
      return undefined;
  }
};

/** An entry whose date a correction moves, against the plan as it stood before it. */
export const checkMovedEntryDate = (fact: PlanEvent, effectiveOn: string, before: RegisteredPlan): void => {
  if (KNOWLEDGE.has(fact.type) || fact.type === 'PlanRegistered') return;
  checkDatedAfterRegistration(before, effectiveOn);
  const ref = actionOf(fact);
  const action = ref === undefined ? undefined : before.actions.get(ref);
  if (action) checkDatedAfterAgreement(action, effectiveOn);
};

/**
 * A registration or an agreement whose date a correction moves to `movedTo`: no later entry of the
 * plan (of the action) may then be dated before it, each at its date as the corrections leave it.
 */
export const checkEntriesAfterMoved = (
  plan: RegisteredPlan,
  moved: PlanEvent & { eventId: string },
  movedTo: string,
  corrections: Map<string, Overlay>,
): void => {
  const ref = moved.type === 'ActionAgreed' ? moved.data.ref : undefined;
  if (moved.type !== 'PlanRegistered' && ref === undefined) return;
  for (const fact of plan.history) {
    if (fact.eventId === moved.eventId || KNOWLEDGE.has(fact.type)) continue;
    if (ref !== undefined && actionOf(fact) !== ref) continue;
    const date = (corrections.get(fact.eventId)?.[EFFECTIVE_ON] as string | undefined) ?? fact.effectiveOn;
    if (!endsBefore(date, movedTo)) continue;
    throw unprocessable(
      ref === undefined ? 'dated-before-registration' : 'dated-before-agreement',
      `This would date the ${ref === undefined ? "plan's registration" : `agreement of action ${ref}`} ${movedTo}, ` +
        `after its ${fact.type} entry dated ${date} (event ${fact.eventId}): correct that entry's date first`,
    );
  }
};
