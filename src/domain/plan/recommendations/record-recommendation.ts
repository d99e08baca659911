import type { EventData } from '../../../../events/catalogue.ts';
import { conflict } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import type { RegisteredPlan } from '../state.ts';

/** Record what an investigation, inquiry, coroner or review asked for. */
export interface RecordRecommendation {
  type: 'RecordRecommendation';
  data: EventData<'RecommendationRecorded'>;
}

export const recordRecommendation = (
  { data }: RecordRecommendation,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'RecommendationRecorded'>[] => {
  if (plan.recommendations.has(data.ref)) throw conflict('ref-taken', `Recommendation ${data.ref} already exists in this plan`);
  return [{ type: 'RecommendationRecorded', data, effectiveOn }];
};
