import { readEventData } from '../../events/catalogue.ts';
import type { NewEvent } from '../../events/envelope.ts';
import type { PlanFact } from '../domain/plan/state.ts';

/** One stream per plan: the plan, its sections, recommendations and actions share one revision, the ETag. */
export const planStream = (planId: string): string => `plan-${planId}`;

export const planIdOfStream = (stream: string): string | undefined =>
  stream.startsWith('plan-') ? stream.slice('plan-'.length) : undefined;

/** An event (stored, or just appended) as the decider folds it: upcast to the current version, with its id and business date. */
export const toPlanFact = (event: NewEvent): PlanFact => ({
  ...readEventData(event.type, event.schemaVersion, event.data),
  eventId: event.eventId,
  effectiveOn: event.effectiveOn.date,
});
