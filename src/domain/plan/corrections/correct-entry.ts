import { isDeepStrictEqual } from 'node:util';
import { BusinessDate } from '../../../../events/business-date.ts';
import type { EventData } from '../../../../events/catalogue.ts';
import { EFFECTIVE_ON, resolveCorrectionsWithAmendments, splitOverlay } from '../../correction-overlay.ts';
import { conflict, notFound, unprocessable } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { foldBefore } from '../evolve.ts';
import type { RegisteredPlan } from '../state.ts';
import { checkAmendedCorrection, checkBusinessRules, checkLaterFacts, refuseIdentityFields, requireValid } from './correction-checks.ts';

/**
 * Correct an earlier entry of the plan: which event, the data fields it replaces and/or its
 * corrected business date, and why. `correctedEffectiveOn` is the corrected event's date;
 * the command's own effectiveOn is the correction's.
 */
export interface CorrectEntry {
  type: 'CorrectEntry';
  data: { correctedEventId: string; changes: Record<string, unknown>; correctedEffectiveOn?: string | undefined; reason: string };
}

/**
 * A completion's business date is its completion date (completeAction), and a correction keeps
 * them one date: either given moves the other, so the completion never counts on the business
 * clock at a date other than the one it shows. Given both, they must agree.
 */
const completionDatesTogether = (command: CorrectEntry['data']): Pick<CorrectEntry['data'], 'changes' | 'correctedEffectiveOn'> => {
  const { correctedEffectiveOn } = command;
  // Only a date is carried across: anything else is refused below, under the field it was sent in.
  const completedOn = BusinessDate.safeParse(command.changes.completedOn).success ? (command.changes.completedOn as string) : undefined;
  if (completedOn === undefined) {
    if (correctedEffectiveOn === undefined || 'completedOn' in command.changes || !BusinessDate.safeParse(correctedEffectiveOn).success)
      return command;
    return { changes: { ...command.changes, completedOn: correctedEffectiveOn }, correctedEffectiveOn };
  }
  if (correctedEffectiveOn === undefined) return { changes: command.changes, correctedEffectiveOn: completedOn };
  if (correctedEffectiveOn !== completedOn)
    throw unprocessable(
      'completion-dates-differ',
      `A completion's business date is its completion date: correctedEffectiveOn ${correctedEffectiveOn} and completedOn ${completedOn} ` +
        'must be the same date (give either one and the other moves with it)',
    );
  return command;
};

/** The id the correction being decided goes by while its consequences are worked out: never stored. */
const PROPOSED = 'proposed-correction';

/**
 * Pure: the EntryCorrected a CorrectEntry command produces, or a DomainError. The
 * correction is laid over history as the fold would lay it; then every event whose
 * corrected data would change (for a correction of a correction, the events its chain
 * ends on) must still be valid for its type and pass the rules its command passed.
 */
const decideCorrection = (
  command: CorrectEntry['data'],
  plan: RegisteredPlan,
  today: string,
  /** The corrections whose amended content is being checked, outermost first: reaching one again is a loop. */
  amending: ReadonlySet<string> = new Set(),
): { decided: EventData<'EntryCorrected'>; changesSomething: boolean } => {
  const target = plan.events.get(command.correctedEventId);
  if (!target) throw notFound('event-not-found', `Event ${command.correctedEventId} is not an event of this plan`);
  if (amending.has(command.correctedEventId)) throw conflict('correction-loop', 'This correction would make a correction correct itself');
  refuseIdentityFields(command.changes);
  const { changes, correctedEffectiveOn } = target.type === 'ActionCompleted' ? completionDatesTogether(command) : command;
  const decided = {
    correctedEventId: command.correctedEventId,
    correctedType: target.type,
    changes,
    ...(correctedEffectiveOn === undefined ? {} : { correctedEffectiveOn }),
    reason: command.reason,
  };
  requireValid('EntryCorrected', decided);
  if (target.type === 'EntryCorrected' && command.correctedEffectiveOn !== undefined)
    throw unprocessable(
      'correction-date-not-correctable',
      "A correction's own business date is not corrected: correct the date of the event it corrects instead",
    );
  const proposed = { eventId: PROPOSED, data: decided };
  const now = resolveCorrectionsWithAmendments(plan.correctionFacts);
  const next = resolveCorrectionsWithAmendments([...plan.correctionFacts, proposed]);

  // Whether it changes what the ledger holds: a value or business date of an event in force, or what a correction says.
  let changesSomething = false;
  for (const [eventId, amended] of next.amended) {
    if (eventId === PROPOSED || isDeepStrictEqual(amended, now.amended.get(eventId))) continue;
    changesSomething = true;
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
    const valid = requireValid(event.type, corrected);
    const was = { ...event.data, ...before.fields };
    const changed = new Set(
      [...Object.keys(before.fields), ...Object.keys(after.fields)].filter((f) => !isDeepStrictEqual(was[f], corrected[f])),
    );
    const effectiveOn = after.effectiveOn ?? event.effectiveOn;
    if (effectiveOn !== (before.effectiveOn ?? event.effectiveOn)) changed.add(EFFECTIVE_ON);
    if (changed.size > 0) changesSomething = true;
    checkBusinessRules(valid, effectiveOn, changed, foldBefore(plan, eventId, next.resolved), today);
    if (valid.type === 'ActionAgreed' && changed.has(EFFECTIVE_ON))
      checkLaterFacts(plan, valid.data.ref, next.resolved, today, before.effectiveOn ?? event.effectiveOn);
  }

  if (target.type === 'EntryCorrected') {
    // A later correction of the same event may hide what the amended correction now says, so
    // the checks above need not see it; it is checked as if it were made afresh, so nothing
    // invalid is stored to surface when that later correction is itself corrected.
    const amended = requireValid('EntryCorrected', {
      ...(now.amended.get(command.correctedEventId) ?? target.data),
      ...command.changes,
    }).data;
    if (plan.events.get(amended.correctedEventId)?.type !== amended.correctedType)
      throw unprocessable(
        'invalid-correction',
        `A correction can only be redirected to another ${amended.correctedType} event of this plan`,
      );
    const { correctedEventId, changes, correctedEffectiveOn, reason } = amended;
    decideCorrection(
      { correctedEventId, changes, correctedEffectiveOn, reason },
      plan,
      today,
      new Set([...amending, command.correctedEventId]),
    );
  }
  return { decided, changesSomething };
};

export const correctEntry = (
  { data }: CorrectEntry,
  plan: RegisteredPlan,
  { today, effectiveOn }: DecisionContext,
): Decision<'EntryCorrected'>[] => {
  // One that restates what is in force would only add an entry to the audit trail saying a value became itself.
  const { decided, changesSomething } = decideCorrection(data, plan, today);
  if (!changesSomething)
    throw unprocessable(
      'correction-changes-nothing',
      'This correction changes nothing: every value and date it gives is already the one in force. Give the value or date as it should be',
    );
  return [{ type: 'EntryCorrected', data: decided, effectiveOn }];
};
