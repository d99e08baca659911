import type { EventData } from '../../../../events/catalogue.ts';
import { conflict } from '../../errors.ts';
import type { Decision, DecisionContext } from '../decision.ts';
import type { RegisteredPlan } from '../state.ts';

/** Add a section ("1. Access to Support Before Crisis") that actions can be filed under. */
export interface AddSection {
  type: 'AddSection';
  data: EventData<'SectionAdded'>;
}

export const addSection = ({ data }: AddSection, plan: RegisteredPlan, { effectiveOn }: DecisionContext): Decision<'SectionAdded'>[] => {
  if (plan.sections.has(data.sectionRef)) throw conflict('ref-taken', `Section ${data.sectionRef} already exists in this plan`);
  return [{ type: 'SectionAdded', data, effectiveOn }];
};
