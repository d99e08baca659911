import type { EventData } from '../../../../events/catalogue.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { requireRecommendation } from '../guards.ts';
import type { RegisteredPlan } from '../state.ts';

/** Record an independent judgement on a recommendation's evidence: assured, partially assured or not assured. */
export interface AssureRecommendation {
  type: 'AssureRecommendation';
  data: EventData<'RecommendationAssured'>;
}

export const assureRecommendation = (
  { data }: AssureRecommendation,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'RecommendationAssured'>[] => {
  requireRecommendation(plan, data.ref);
  return [{ type: 'RecommendationAssured', data, effectiveOn }];
};
