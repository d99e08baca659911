import type { EventType } from '../../../events/catalogue.ts';
import { isInFuture, londonDay } from '../calendar.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import type { Command, DecidedEvent } from './commands.ts';
import { decideActionCommand } from './decide-action.ts';
import { decideCorrection } from './decide-correction.ts';
import type { Plan, RegisteredPlan } from './state.ts';

const event = (type: EventType, data: object, effectiveOn: string): DecidedEvent => ({
  type,
  data: data as Record<string, unknown>,
  effectiveOn,
});

export const requirePlan = (plan: Plan): RegisteredPlan => {
  if (plan.status !== 'registered') throw notFound('plan-not-found', 'No plan with this id is registered');
  return plan;
};

/** Pure: the events a command produces against the plan's current state, or a DomainError. */
export const decide = (command: Command, plan: Plan): DecidedEvent[] => {
  const today = londonDay(command.now);
  const effectiveOn = command.effectiveOn ?? today;
  if (isInFuture(effectiveOn, today))
    throw unprocessable('effective-date-in-future', `effectiveOn ${effectiveOn} is after today (${today})`);

  switch (command.type) {
    case 'RegisterPlan':
      if (plan.status === 'registered') throw conflict('plan-exists', `Plan ${command.data.planId} is already registered`);
      return [event('PlanRegistered', command.data, effectiveOn)];
    case 'AddSection': {
      const p = requirePlan(plan);
      if (p.sections.has(command.data.sectionRef))
        throw conflict('ref-taken', `Section ${command.data.sectionRef} already exists in this plan`);
      return [event('SectionAdded', command.data, effectiveOn)];
    }
    case 'RecordRecommendation': {
      const p = requirePlan(plan);
      if (p.recommendations.has(command.data.ref))
        throw conflict('ref-taken', `Recommendation ${command.data.ref} already exists in this plan`);
      return [event('RecommendationRecorded', command.data, effectiveOn)];
    }
    case 'RecordRecommendationResponse':
    case 'AssureRecommendation': {
      const p = requirePlan(plan);
      if (!p.recommendations.has(command.data.ref))
        throw notFound('recommendation-not-found', `Recommendation ${command.data.ref} does not exist in this plan`);
      const type = command.type === 'AssureRecommendation' ? 'RecommendationAssured' : 'RecommendationResponseRecorded';
      return [event(type, command.data, effectiveOn)];
    }
    case 'CorrectEntry':
      return [event('EntryCorrected', decideCorrection(command.data, requirePlan(plan), today), effectiveOn)];
    default:
      return decideActionCommand(command, requirePlan(plan), today).map((e) => event(e.type, e.data, e.effectiveOn ?? effectiveOn));
  }
};
