import type { EventData } from '../../../../events/catalogue.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { requireRecommendation } from '../guards.ts';
import type { RegisteredPlan } from '../state.ts';

/** Record an organisation's formal answer to a recommendation (accepted, partly accepted, its plan). */
export interface RecordRecommendationResponse {
  type: 'RecordRecommendationResponse';
  data: EventData<'RecommendationResponseRecorded'>;
}

export const recordRecommendationResponse = (
  { data }: RecordRecommendationResponse,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'RecommendationResponseRecorded'>[] => {
  requireRecommendation(plan, data.ref);
  return [{ type: 'RecommendationResponseRecorded', data, effectiveOn }];
};
