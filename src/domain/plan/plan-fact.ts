import { readEventData } from '../../../events/catalogue.ts';
import type { StoredEvent } from '../../../events/envelope.ts';
import type { PlanFact } from './state.ts';

/** A stored event as the decider folds it: upcast to the current version, with its id and business date. */
export const toPlanFact = (event: StoredEvent): PlanFact => ({
  ...readEventData(event.type, event.schemaVersion, event.data),
  eventId: event.eventId,
  effectiveOn: event.effectiveOn.date,
});
