import { readEventData } from '../../../events/catalogue.ts';
import type { NewEvent } from '../../../events/envelope.ts';
import type { PlanFact } from './state.ts';

/** An event (stored, or just appended) as the decider folds it: upcast to the current version, with its id and business date. */
export const toPlanFact = (event: NewEvent): PlanFact => ({
  ...readEventData(event.type, event.schemaVersion, event.data),
  eventId: event.eventId,
  effectiveOn: event.effectiveOn.date,
});
