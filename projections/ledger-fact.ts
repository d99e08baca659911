import type { EffectiveOn } from '../events/business-date.ts';
import { readStoredEventData, type PlanEvent } from '../events/catalogue.ts';
import type { Actor, StoredEvent } from '../events/envelope.ts';
import { planIdOfStream } from '../events/streams.ts';

/**
 * A stored plan event as every projection folds it: current-version data plus the
 * envelope facts a reader needs (both clocks, who, where in the ledger). The position is
 * the ledger's, a bigint as on every backend; a document that keeps one in its JSON
 * converts it there (see plan-status/document.ts). The stream revision is a plain number:
 * it counts one plan's events, and documents, ETags and snapshots carry it as such.
 */
export type LedgerFact = PlanEvent & {
  planId: string;
  eventId: string;
  position: bigint;
  revision: number;
  recordedAt: string;
  effectiveOn: EffectiveOn;
  actor: Actor;
};

/** undefined for an event outside a plan stream: no projection here reads those. */
export const toLedgerFact = (event: StoredEvent): LedgerFact | undefined => {
  const planId = planIdOfStream(event.stream);
  if (planId === undefined) return undefined;
  const { type, data } = readStoredEventData(event.type, event.schemaVersion, event.data);
  // Built field by field, not spread: this runs once per event of every rebuild.
  return {
    type,
    data,
    planId,
    eventId: event.eventId,
    position: event.position,
    revision: Number(event.revision),
    recordedAt: event.recordedAt,
    effectiveOn: event.effectiveOn,
    actor: event.actor,
  } as LedgerFact;
};
