import { sameDue, type Due } from '../../../../events/business-date.ts';
import { currentSchema, type EventType } from '../../../../events/catalogue.ts';
import { isInFuture } from '../../calendar.ts';
import { EFFECTIVE_ON, splitOverlay, type Overlay } from '../../correction-overlay.ts';
import { conflict, unprocessable } from '../../errors.ts';
import { foldBefore } from '../evolve.ts';
import {
  checkCompletionDate,
  checkDeadlineChanged,
  checkLeadChanged,
  checkRecommendationsExist,
  checkSubsumptionTarget,
  sameOrganisations,
} from '../rules.ts';
import type { RegisteredPlan } from '../state.ts';

/**
 * The checks a correction is held to: what it may change, that what it leaves is valid for
 * the event's type, and that the event still passes the rules its own command passed.
 */

/**
 * Fields that say which thing an event is about. Changing them would move history from
 * one action to another; a wrongly numbered action is withdrawn and agreed again instead.
 */
const identityFields = new Set(['planId', 'ref', 'sectionRef', 'target', 'correctedType']);

type Data = Record<string, unknown>;

export const refuseIdentityFields = (changes: Data): void => {
  // The business date lives in the envelope, not the data: naming it here would blur the two.
  if (Object.hasOwn(changes, EFFECTIVE_ON))
    throw unprocessable(
      'not-a-data-field',
      `${EFFECTIVE_ON} is the entry's business date, not a data field: correct it with correctedEffectiveOn beside changes`,
    );
  const identity = Object.keys(changes).filter((f) => identityFields.has(f));
  if (identity.length > 0)
    throw unprocessable('identity-field', `${identity.join(', ')} cannot be corrected: withdraw the entry and record it again instead`);
};

export const requireValid = (type: EventType, data: Data): void => {
  const parsed = currentSchema(type).safeParse(data);
  if (!parsed.success)
    throw unprocessable(
      'invalid-correction',
      `The corrected ${type} would be invalid: ${parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
};

/**
 * A correction, as amended by any corrections of it, must still name an event of this
 * plan of the type it says, must not reach itself through the corrections it names, and
 * must itself be a valid EntryCorrected that changes no identity field.
 */
export const checkAmendedCorrection = (plan: RegisteredPlan, amended: Map<string, Overlay>, eventId: string, data: Data): void => {
  requireValid('EntryCorrected', data);
  refuseIdentityFields(data.changes as Data);
  const seen = new Set<string>([eventId]);
  let next = data.correctedEventId as string;
  while (amended.has(next)) {
    if (seen.has(next)) throw conflict('correction-loop', 'This correction would make a correction correct itself');
    seen.add(next);
    next = amended.get(next)!.correctedEventId as string;
  }
  const corrected = plan.events.get(data.correctedEventId as string);
  if (!corrected || corrected.type !== data.correctedType)
    throw unprocessable(
      'invalid-correction',
      `A correction can only be redirected to another ${String(data.correctedType)} event of this plan`,
    );
};

/** A derived field (a revision's or lead change's "from") can only be corrected to what the ledger then held. */
const requireHeld = (field: string, held: boolean, what: string): void => {
  if (!held) throw unprocessable('derived-field', `${field} can only be corrected to ${what}`);
};

/**
 * The rules the event's own command had to pass, re-run on its corrected data against the
 * plan as it stood just before the event. Only rules that read a changed field are run:
 * a reworded reason should not fail because an earlier event has since been corrected.
 */
export const checkBusinessRules = (
  type: EventType,
  data: Data,
  effectiveOn: string,
  changed: Set<string>,
  before: RegisteredPlan,
  today: string,
) => {
  const action = typeof data.ref === 'string' ? before.actions.get(data.ref) : undefined;
  // Every command refuses a business date after today (decide.ts); a corrected one too.
  if (changed.has(EFFECTIVE_ON) && isInFuture(effectiveOn, today))
    throw unprocessable('effective-date-in-future', `The corrected effectiveOn ${effectiveOn} is after today (${today})`);
  switch (type) {
    case 'PlanOwnerChanged':
      if (changed.has('to') && data.to === before.owner)
        throw conflict('owner-unchanged', `Plan ${before.planId} was already owned by ${String(data.to)}`);
      if (changed.has('from')) requireHeld('from', data.from === before.owner, 'the owner before this change');
      return;
    case 'ActionAgreed':
      if (changed.has('recommendationRefs')) checkRecommendationsExist(before, data.recommendationRefs as string[]);
      return;
    case 'ActionCompleted':
      if (action && changed.has('completedOn')) checkCompletionDate(action, data.completedOn as string, today);
      // A completion's business date is its completion date (decide-action.ts): held to the same rule.
      if (action && changed.has(EFFECTIVE_ON)) checkCompletionDate(action, effectiveOn, today);
      return;
    case 'ActionSubsumed':
      if (changed.has('into'))
        checkSubsumptionTarget(before, data.ref as string, data.into as Parameters<typeof checkSubsumptionTarget>[2]);
      return;
    case 'DeadlineRevised':
      if (!action) return;
      if (changed.has('to')) checkDeadlineChanged(action, data.to as Due);
      if (changed.has('from')) requireHeld('from', sameDue(action.due, data.from as Due), 'the deadline in force before this revision');
      return;
    case 'ActionLeadChanged':
      if (!action) return;
      if (changed.has('to') || changed.has('partnersTo')) checkLeadChanged(action, data.to as string[], data.partnersTo);
      if (changed.has('from'))
        requireHeld('from', sameOrganisations(action.leadOrganisations, data.from as string[]), 'the leads before this change');
      if (changed.has('partnersFrom'))
        requireHeld(
          'partnersFrom',
          sameOrganisations(action.partnerOrganisations, data.partnersFrom as string[]),
          'the partners before this change',
        );
      return;
    default:
      return;
  }
};

/**
 * An action's agreement date is what its completion was checked against: moving the
 * agreement must not leave a completion, as corrected, dated before it. Each completion is
 * checked against the action as the corrected history leaves it just before that completion.
 */
export const checkLaterCompletions = (plan: RegisteredPlan, ref: string, corrections: Map<string, Overlay>, today: string): void => {
  for (const fact of plan.history) {
    if (fact.type !== 'ActionCompleted' || fact.data.ref !== ref) continue;
    const overlay = splitOverlay({ ...corrections.get(fact.eventId) });
    const completedOn = (overlay.fields.completedOn as string | undefined) ?? fact.data.completedOn;
    const action = foldBefore(plan, fact.eventId, corrections).actions.get(ref);
    if (action) checkCompletionDate(action, completedOn, today);
  }
};
