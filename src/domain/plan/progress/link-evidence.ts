import type { EventData } from '../../../../events/catalogue.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { requireAction, requireRecommendation } from '../guards.ts';
import type { RegisteredPlan } from '../state.ts';

/** Link a document (its uri, its sha256, or both) to an action or a recommendation. */
export interface LinkEvidence {
  type: 'LinkEvidence';
  data: EventData<'EvidenceLinked'>;
}

export const linkEvidence = (
  { data }: LinkEvidence,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'EvidenceLinked'>[] => {
  // Evidence is welcome on a closed action: good practice is "closed with evidence".
  if (data.target.kind === 'action') requireAction(plan, data.target.ref);
  else requireRecommendation(plan, data.target.ref);
  return [{ type: 'EvidenceLinked', data, effectiveOn }];
};
