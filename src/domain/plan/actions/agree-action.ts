import type { EventData } from '../../../../events/catalogue.ts';
import { conflict, unprocessable } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import { checkRecommendationsExist } from '../rules.ts';
import type { RegisteredPlan } from '../state.ts';

/** Agree an action: its ref, text, leads and partners, the recommendations it answers and its timescale. */
export interface AgreeAction {
  type: 'AgreeAction';
  data: EventData<'ActionAgreed'>;
}

export const agreeAction = ({ data }: AgreeAction, plan: RegisteredPlan, { effectiveOn }: DecisionContext): Decision<'ActionAgreed'>[] => {
  if (plan.actions.has(data.ref)) throw conflict('ref-taken', `Action ${data.ref} already exists in this plan`);
  if (data.sectionRef !== undefined && !plan.sections.has(data.sectionRef))
    throw unprocessable('unknown-section', `Section ${data.sectionRef} does not exist in this plan`);
  checkRecommendationsExist(plan, data.recommendationRefs);
  return [{ type: 'ActionAgreed', data, effectiveOn }];
};
