import { currentSchema, type EventType } from '../../../events/catalogue.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import type { RegisteredPlan } from './state.ts';

/**
 * Fields that say which thing an event is about. Changing them would move history from
 * one action to another; a wrongly numbered action is withdrawn and agreed again instead.
 */
const identityFields = new Set(['planId', 'ref', 'sectionRef', 'target', 'correctedType']);

/** Follows what corrections point at from `eventId`; true if the chain reaches `start` again. */
const leadsBackTo = (plan: RegisteredPlan, eventId: string, start: string): boolean => {
  const seen = new Set<string>();
  let current: string | undefined = eventId;
  while (current !== undefined && !seen.has(current)) {
    if (current === start) return true;
    seen.add(current);
    const entry = plan.events.get(current);
    current = entry?.type === 'EntryCorrected' ? (entry.data.correctedEventId as string) : undefined;
  }
  return false;
};

export const decideCorrection = (
  command: { correctedEventId: string; changes: Record<string, unknown>; reason: string },
  plan: RegisteredPlan,
) => {
  const target = plan.events.get(command.correctedEventId);
  if (!target)
    throw notFound('event-not-found', `Event ${command.correctedEventId} is not an event of this plan`);
  const fields = Object.keys(command.changes);
  const identity = fields.filter((f) => identityFields.has(f));
  if (identity.length > 0)
    throw unprocessable(
      'identity-field',
      `${identity.join(', ')} cannot be corrected: withdraw the entry and record it again instead`,
    );
  if (target.type === 'EntryCorrected') {
    const retarget = command.changes.correctedEventId;
    if (typeof retarget === 'string') {
      if (leadsBackTo(plan, retarget, command.correctedEventId))
        throw conflict('correction-loop', 'This correction would make a correction correct itself');
      const retargeted = plan.events.get(retarget);
      if (!retargeted || retargeted.type !== target.data.correctedType)
        throw unprocessable(
          'invalid-correction',
          `A correction can only be redirected to another ${String(target.data.correctedType)} event of this plan`,
        );
    }
  }
  // The corrected event must still be a valid event of its type once the changes are laid over it.
  const schema = currentSchema(target.type as EventType);
  const merged = schema.safeParse({ ...target.data, ...command.changes });
  if (!merged.success)
    throw unprocessable(
      'invalid-correction',
      `The corrected ${target.type} would be invalid: ${merged.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  return {
    correctedEventId: command.correctedEventId,
    correctedType: target.type,
    changes: command.changes,
    reason: command.reason,
  };
};
