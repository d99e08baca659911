import { sameDue } from '../../../../events/business-date.ts';
import { currentSchema, type EventData, type EventType, type PlanEvent } from '../../../../events/catalogue.ts';
import { endsBefore, isInFuture } from '../../calendar.ts';
import { EFFECTIVE_ON, splitOverlay, type Overlay } from '../../correction-overlay.ts';
import { conflict, unprocessable } from '../../errors.ts';
import { foldBefore } from '../evolve.ts';
import {
  actionAbout,
  checkCompletionDate,
  checkDatedAfterAgreement,
  checkDeadlineChanged,
  checkLeadChanged,
  checkRecommendationsExist,
  checkSubsumptionTarget,
  sameOrganisations,
} from '../rules.ts';
import type { RegisteredPlan } from '../state.ts';
import { uriCharacterProblem } from '../progress/uri-characters.ts';

/**
 * The checks a correction is held to: what it may change, that what it leaves is valid for
 * the event's type, and that the event still passes the rules its own command passed.
 */

/**
 * Fields that say which thing an event is about. Changing them would move history from
 * one action to another; a wrongly numbered action is withdrawn and agreed again instead.
 */
const identityFields = new Set(['planId', 'ref', 'sectionRef', 'target', 'correctedType', 'file']);

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

/** Data as a correction leaves it, checked against its type's schema: the typed event, or a DomainError. */
export const requireValid = <K extends EventType>(type: K, data: Data): Extract<PlanEvent, { type: K }> => {
  const parsed = currentSchema(type).safeParse(data);
  if (!parsed.success)
    throw unprocessable(
      'invalid-correction',
      `The corrected ${type} would be invalid: ${parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  // Parsed by the current schema of its type, so it is that type's data.
  return { type, data: parsed.data } as Extract<PlanEvent, { type: K }>;
};

/**
 * A correction, as amended by any corrections of it, must still name an event of this
 * plan of the type it says, must not reach itself through the corrections it names, and
 * must itself be a valid EntryCorrected that changes no identity field.
 */
export const checkAmendedCorrection = (
  plan: RegisteredPlan,
  amended: Map<string, EventData<'EntryCorrected'>>,
  eventId: string,
  data: Data,
): void => {
  const correction = requireValid('EntryCorrected', data).data;
  refuseIdentityFields(correction.changes);
  const seen = new Set<string>([eventId]);
  let next = correction.correctedEventId;
  while (amended.has(next)) {
    if (seen.has(next)) throw conflict('correction-loop', 'This correction would make a correction correct itself');
    seen.add(next);
    next = amended.get(next)!.correctedEventId;
  }
  const corrected = plan.events.get(correction.correctedEventId);
  if (!corrected || corrected.type !== correction.correctedType)
    throw unprocessable(
      'invalid-correction',
      `A correction can only be redirected to another ${correction.correctedType} event of this plan`,
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
export const checkBusinessRules = (event: PlanEvent, effectiveOn: string, changed: Set<string>, before: RegisteredPlan, today: string) => {
  const action = 'ref' in event.data ? before.actions.get(event.data.ref) : undefined;
  // A completion's date is its business date too (correct-entry.ts), whichever of the two was given: refused as a completion's.
  if (event.type === 'ActionCompleted' && action && changed.has('completedOn')) checkCompletionDate(action, event.data.completedOn, today);
  // Every command refuses a business date after today (decide.ts); a corrected one too.
  if (changed.has(EFFECTIVE_ON) && isInFuture(effectiveOn, today))
    throw unprocessable('effective-date-in-future', `The corrected effectiveOn ${effectiveOn} is after today (${today})`);
  // A fact about an action moved before the action's agreement (a completion is held to its own rule below).
  const about = actionAbout(event);
  const ofAction = about === undefined ? undefined : before.actions.get(about);
  if (ofAction && changed.has(EFFECTIVE_ON) && event.type !== 'ActionCompleted')
    checkDatedAfterAgreement(ofAction, effectiveOn, `The corrected effectiveOn ${effectiveOn}`);
  switch (event.type) {
    case 'PlanOwnerChanged': {
      const { from, to } = event.data;
      if (changed.has('to') && to === before.owner) throw conflict('owner-unchanged', `Plan ${before.planId} was already owned by ${to}`);
      if (changed.has('from')) requireHeld('from', from === before.owner, 'the owner before this change');
      return;
    }
    case 'EvidenceErased':
      // Which content was erased is what the erasure is: a wrong one is not made right by renaming it.
      if (changed.has('sha256')) throw unprocessable('identity-field', 'sha256 of an erasure cannot be corrected: the file is gone');
      return;
    case 'EvidenceLinked': {
      // A link corrected is held to what a new one is (uri-characters.ts); one left as it was, recorded before the rule, is not.
      const problem = changed.has('uri') && event.data.uri !== undefined ? uriCharacterProblem(event.data.uri) : undefined;
      if (problem)
        throw unprocessable('invalid-correction', `The corrected EvidenceLinked would be invalid: uri: an evidence uri ${problem}`);
      return;
    }
    case 'ActionAgreed':
      if (changed.has('recommendationRefs')) checkRecommendationsExist(before, event.data.recommendationRefs);
      return;
    case 'ActionCompleted':
      // A correction of a correction can reach one of the two dates alone (correct-entry.ts keeps a direct one's together).
      if ((changed.has('completedOn') || changed.has(EFFECTIVE_ON)) && event.data.completedOn !== effectiveOn)
        throw unprocessable(
          'completion-dates-differ',
          `A completion's business date is its completion date: this would make them ${effectiveOn} and ${event.data.completedOn}; ` +
            'a correction of a correction of a completion gives both, changes.completedOn and correctedEffectiveOn, as one date',
        );
      // A completion's business date is its completion date (completeAction): held to the same rule.
      if (action && changed.has(EFFECTIVE_ON)) checkCompletionDate(action, effectiveOn, today);
      return;
    case 'ActionSubsumed':
      if (changed.has('into')) checkSubsumptionTarget(before, event.data.ref, event.data.into);
      return;
    case 'DeadlineRevised':
      if (!action) return;
      if (changed.has('to')) checkDeadlineChanged(action, event.data.to);
      if (changed.has('from')) requireHeld('from', sameDue(action.due, event.data.from), 'the deadline in force before this revision');
      return;
    case 'ActionLeadChanged': {
      if (!action) return;
      const { from, to, partnersFrom, partnersTo } = event.data;
      if (changed.has('to') || changed.has('partnersTo')) checkLeadChanged(action, to, partnersTo);
      if (changed.has('from')) requireHeld('from', sameOrganisations(action.leadOrganisations, from), 'the leads before this change');
      if (changed.has('partnersFrom'))
        requireHeld('partnersFrom', sameOrganisations(action.partnerOrganisations, partnersFrom ?? []), 'the partners before this change');
      return;
    }
    default:
      // The other events' own commands have no rule a changed field could break beyond their schema.
      return;
  }
};

/**
 * An action's agreement date is what its later facts were checked against: moving the
 * agreement must not leave any of them, as corrected, dated before it (a completion by its
 * completion date). The action is folded once, as the corrected history leaves it before its
 * first such fact: nothing after its agreement but a correction moves its agreement date, and
 * corrections are laid on the whole history alike.
 */
export const checkLaterFacts = (
  plan: RegisteredPlan,
  ref: string,
  corrections: Map<string, Overlay>,
  today: string,
  /** The agreement's date before this correction: an entry dated before it already (recorded before the rule) is not its doing. */
  previousAgreedOn: string,
): void => {
  const facts = plan.history.filter((fact) => actionAbout(fact) === ref);
  const action = facts.length === 0 ? undefined : foldBefore(plan, facts[0]!.eventId, corrections).actions.get(ref);
  if (!action) return;
  for (const fact of facts) {
    const overlay = splitOverlay({ ...corrections.get(fact.eventId) });
    if (fact.type === 'ActionCompleted')
      checkCompletionDate(action, (overlay.fields.completedOn as string | undefined) ?? fact.data.completedOn, today);
    else {
      const dated = overlay.effectiveOn ?? fact.effectiveOn;
      if (endsBefore(dated, action.agreedOn) && !endsBefore(dated, previousAgreedOn))
        throw unprocessable(
          'agreement-after-entries',
          `Action ${ref} would be agreed ${action.agreedOn}, after its ${fact.type} ${fact.eventId} dated ${dated}: ` +
            'nothing about an action can happen before it was agreed',
        );
    }
  }
};
