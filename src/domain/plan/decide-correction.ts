import { isDeepStrictEqual } from 'node:util';
import { sameDue, type Due } from '../../../events/business-date.ts';
import { isInFuture } from '../calendar.ts';
import { currentSchema, type EventType } from '../../../events/catalogue.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import { EFFECTIVE_ON, foldBefore, resolveCorrectionsWithAmendments, splitOverlay } from './evolve.ts';
import {
  checkCompletionDate,
  checkDeadlineChanged,
  checkLeadChanged,
  checkRecommendationsExist,
  checkSubsumptionTarget,
  sameOrganisations,
} from './rules.ts';
import type { PlanFact, RegisteredPlan } from './state.ts';

/**
 * Fields that say which thing an event is about. Changing them would move history from
 * one action to another; a wrongly numbered action is withdrawn and agreed again instead.
 */
const identityFields = new Set(['planId', 'ref', 'sectionRef', 'target', 'correctedType']);

/** The id the correction being decided goes by while its consequences are worked out: never stored. */
const PROPOSED = 'proposed-correction';

type Data = Record<string, unknown>;

const refuseIdentityFields = (changes: Data): void => {
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

const requireValid = (type: EventType, data: Data): void => {
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
const checkAmendedCorrection = (plan: RegisteredPlan, amended: Map<string, Data>, eventId: string, data: Data): void => {
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
const checkBusinessRules = (
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
const checkLaterCompletions = (plan: RegisteredPlan, ref: string, corrections: Map<string, Data>, today: string): void => {
  for (const fact of plan.history) {
    if (fact.type !== 'ActionCompleted' || fact.data.ref !== ref) continue;
    const overlay = splitOverlay({ ...corrections.get(fact.eventId) });
    const completedOn = (overlay.fields.completedOn as string | undefined) ?? fact.data.completedOn;
    const action = foldBefore(plan, fact.eventId, corrections).actions.get(ref);
    if (action) checkCompletionDate(action, completedOn, today);
  }
};

/**
 * Pure: the EntryCorrected a CorrectEntry command produces, or a DomainError. The
 * correction is laid over history as the fold would lay it; then every event whose
 * corrected data would change (for a correction of a correction, the events its chain
 * ends on) must still be valid for its type and pass the rules its command passed.
 */
export const decideCorrection = (
  command: { correctedEventId: string; changes: Data; correctedEffectiveOn?: string | undefined; reason: string },
  plan: RegisteredPlan,
  today: string,
  /** The corrections whose amended content is being checked, outermost first: reaching one again is a loop. */
  amending: ReadonlySet<string> = new Set(),
) => {
  const target = plan.events.get(command.correctedEventId);
  if (!target) throw notFound('event-not-found', `Event ${command.correctedEventId} is not an event of this plan`);
  if (amending.has(command.correctedEventId)) throw conflict('correction-loop', 'This correction would make a correction correct itself');
  refuseIdentityFields(command.changes);
  const decided = {
    correctedEventId: command.correctedEventId,
    correctedType: target.type,
    changes: command.changes,
    ...(command.correctedEffectiveOn === undefined ? {} : { correctedEffectiveOn: command.correctedEffectiveOn }),
    reason: command.reason,
  };
  requireValid('EntryCorrected', decided);
  if (target.type === 'EntryCorrected' && command.correctedEffectiveOn !== undefined)
    throw unprocessable(
      'correction-date-not-correctable',
      "A correction's own business date is not corrected: correct the date of the event it corrects instead",
    );
  const proposed = { type: 'EntryCorrected', eventId: PROPOSED, effectiveOn: today, data: decided } as PlanFact;
  const now = resolveCorrectionsWithAmendments(plan.correctionFacts);
  const next = resolveCorrectionsWithAmendments([...plan.correctionFacts, proposed]);

  for (const [eventId, amended] of next.amended) {
    if (eventId === PROPOSED || isDeepStrictEqual(amended, now.amended.get(eventId))) continue;
    checkAmendedCorrection(plan, next.amended, eventId, amended);
  }

  for (const eventId of new Set([...now.resolved.keys(), ...next.resolved.keys()])) {
    if (isDeepStrictEqual(now.resolved.get(eventId), next.resolved.get(eventId))) continue;
    const before = splitOverlay({ ...now.resolved.get(eventId) });
    const after = splitOverlay({ ...next.resolved.get(eventId) });
    const event = plan.events.get(eventId);
    if (!event) throw unprocessable('invalid-correction', `Event ${eventId} is not an event of this plan`);
    refuseIdentityFields(after.fields);
    const corrected = { ...event.data, ...after.fields };
    requireValid(event.type, corrected);
    const was = { ...event.data, ...before.fields };
    const changed = new Set(
      [...Object.keys(before.fields), ...Object.keys(after.fields)].filter((f) => !isDeepStrictEqual(was[f], corrected[f])),
    );
    const effectiveOn = after.effectiveOn ?? event.effectiveOn;
    if (effectiveOn !== (before.effectiveOn ?? event.effectiveOn)) changed.add(EFFECTIVE_ON);
    checkBusinessRules(event.type, corrected, effectiveOn, changed, foldBefore(plan, eventId, next.resolved), today);
    if (event.type === 'ActionAgreed' && changed.has(EFFECTIVE_ON))
      checkLaterCompletions(plan, corrected.ref as string, next.resolved, today);
  }

  if (target.type === 'EntryCorrected') {
    // A later correction of the same event may hide what the amended correction now says, so
    // the checks above need not see it; it is checked as if it were made afresh, so nothing
    // invalid is stored to surface when that later correction is itself corrected.
    const amended = { ...(now.amended.get(command.correctedEventId) ?? target.data), ...command.changes };
    requireValid('EntryCorrected', amended);
    if (plan.events.get(amended.correctedEventId as string)?.type !== amended.correctedType)
      throw unprocessable(
        'invalid-correction',
        `A correction can only be redirected to another ${String(amended.correctedType)} event of this plan`,
      );
    decideCorrection(
      {
        correctedEventId: amended.correctedEventId as string,
        changes: amended.changes as Data,
        correctedEffectiveOn: amended.correctedEffectiveOn as string | undefined,
        reason: amended.reason as string,
      },
      plan,
      today,
      new Set([...amending, command.correctedEventId]),
    );
  }
  return decided;
};
