import { effectiveOn } from '../../events/business-date.ts';
import { currentSchema, currentVersion } from '../../events/catalogue.ts';
import type { Actor, NewEvent, Provenance } from '../../events/envelope.ts';
import type { DecidedEvent } from '../domain/plan/commands.ts';

export interface EnvelopeContext {
  actor: Actor;
  commandId: string;
  correlationId: string;
  causationId?: string | undefined;
  provenance: Provenance;
}

/**
 * Wraps what the decider produced in its envelope. The compiler has checked the data's
 * shape against its type's schema; it is parsed once more here because the schemas also
 * hold rules no type expresses (lengths, real calendar dates) and fill in defaults, and
 * nothing unschematic may ever be stored.
 */
export const toNewEvent = (decided: DecidedEvent, ctx: EnvelopeContext, now: string, eventId: string): NewEvent => {
  const { type } = decided;
  // The schema's output is an object; the envelope stores it as plain JSON.
  const data = currentSchema(type).parse(decided.data) as Record<string, unknown>;
  return {
    eventId,
    type,
    schemaVersion: currentVersion(type),
    recordedAt: now,
    effectiveOn: effectiveOn(decided.effectiveOn),
    actor: ctx.actor,
    ...(typeof data.reason === 'string' ? { reason: data.reason } : {}),
    commandId: ctx.commandId,
    correlationId: ctx.correlationId,
    ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
    provenance: ctx.provenance,
    data,
  };
};
