import { effectiveOn } from '../../events/business-date.ts';
import { currentSchema, currentVersion, type EventType } from '../../events/catalogue.ts';
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
 * Wraps what the decider produced in its envelope, validating the data against the
 * catalogue first: nothing unschematic is ever stored. Shared by the single-command
 * handler and the batch handler so both write exactly the same events.
 */
export const toNewEvent = (decided: DecidedEvent, ctx: EnvelopeContext, now: string, eventId: string): NewEvent => {
  const type = decided.type as EventType;
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
