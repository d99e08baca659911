import type { EventData } from '../../../../events/catalogue.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { requireOpenAction, requireRecommendation } from '../guards.ts';
import type { RegisteredPlan } from '../state.ts';

/** A dated narrative on an open action or on a recommendation, with the RAG as reported and any metrics. */
export interface RecordProgressUpdate {
  type: 'RecordProgressUpdate';
  data: EventData<'ProgressUpdateRecorded'>;
}

export const recordProgressUpdate = (
  { data }: RecordProgressUpdate,
  plan: RegisteredPlan,
  { effectiveOn }: DecisionContext,
): Decision<'ProgressUpdateRecorded'>[] => {
  if (data.target.kind === 'action') requireOpenAction(plan, data.target.ref, 'recording progress');
  else requireRecommendation(plan, data.target.ref);
  return [{ type: 'ProgressUpdateRecorded', data, effectiveOn }];
};
