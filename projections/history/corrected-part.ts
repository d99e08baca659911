import type { PlanDoc } from '../plan-status/document.ts';
import { actionPart, HEADER, recommendationPart, type PartKey } from './parts.ts';

const holds = (items: readonly ({ eventId: string } | null | undefined)[], eventId: string) => items.some((i) => i?.eventId === eventId);

/**
 * The part holding an event in a document (its header, a recommendation or an action), or
 * undefined when the document no longer holds it (an update since superseded by a later one):
 * a correction of it may then change any part at some business date, so all are worked out again.
 */
export const partHolding = (doc: PlanDoc, eventId: string): PartKey | undefined => {
  if (doc.plan.eventId === eventId || holds(doc.sections, eventId)) return HEADER;
  for (const r of doc.recommendations)
    if (holds([r.recorded, r.lastUpdate, ...r.responses, ...r.assurances, ...r.evidence], eventId)) return recommendationPart(r.ref);
  for (const a of doc.actions)
    if (holds([a.agreed, a.closure, a.lastUpdate, a.lastActivity, ...a.leadChanges, ...a.revisions, ...a.evidence], eventId))
      return actionPart(a.ref);
  return undefined;
};
