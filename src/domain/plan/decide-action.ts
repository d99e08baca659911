import type { EventType } from '../../../events/catalogue.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import type { Command } from './commands.ts';
import { checkCompletionDate, checkDeadlineChanged, checkLeadChanged, checkRecommendationsExist, checkSubsumptionTarget } from './rules.ts';
import { closedStatuses, type ActionState, type RegisteredPlan } from './state.ts';

type ActionCommand = Exclude<
  Command,
  {
    type: 'RegisterPlan' | 'AddSection' | 'RecordRecommendation' | 'RecordRecommendationResponse' | 'AssureRecommendation' | 'CorrectEntry';
  }
>;
type Decided = { type: EventType; data: object; effectiveOn?: string };

const requireAction = (plan: RegisteredPlan, ref: string): ActionState => {
  const action = plan.actions.get(ref);
  if (!action) throw notFound('action-not-found', `Action ${ref} does not exist in this plan`);
  return action;
};

/** Progress, revisions, reassignments and closures need an open action: a closed one must be reopened first. */
const requireOpenAction = (plan: RegisteredPlan, ref: string, doing: string): ActionState => {
  const action = requireAction(plan, ref);
  if (closedStatuses.has(action.status)) throw conflict('action-closed', `Action ${ref} is ${action.status}: reopen it before ${doing}`);
  return action;
};

const requireTarget = (plan: RegisteredPlan, target: { kind: 'action' | 'recommendation'; ref: string }) => {
  if (target.kind === 'action') return requireAction(plan, target.ref);
  if (!plan.recommendations.has(target.ref))
    throw notFound('recommendation-not-found', `Recommendation ${target.ref} does not exist in this plan`);
  return undefined;
};

export const decideActionCommand = (command: ActionCommand, plan: RegisteredPlan, today: string): Decided[] => {
  switch (command.type) {
    case 'AgreeAction': {
      const { data } = command;
      if (plan.actions.has(data.ref)) throw conflict('ref-taken', `Action ${data.ref} already exists in this plan`);
      if (data.sectionRef !== undefined && !plan.sections.has(data.sectionRef))
        throw unprocessable('unknown-section', `Section ${data.sectionRef} does not exist in this plan`);
      checkRecommendationsExist(plan, data.recommendationRefs);
      return [{ type: 'ActionAgreed', data }];
    }
    case 'ChangeActionLead': {
      const action = requireOpenAction(plan, command.data.ref, 'changing its lead');
      checkLeadChanged(action, command.data.to, command.data.partnersTo);
      return [
        {
          type: 'ActionLeadChanged',
          data: {
            ref: command.data.ref,
            from: action.leadOrganisations,
            to: command.data.to,
            ...(command.data.partnersTo ? { partnersFrom: action.partnerOrganisations, partnersTo: command.data.partnersTo } : {}),
          },
        },
      ];
    }
    case 'ReviseDeadline': {
      const action = requireOpenAction(plan, command.data.ref, 'revising its deadline');
      checkDeadlineChanged(action, command.data.to);
      const { to, reason, agreedBy } = command.data;
      return [
        {
          type: 'DeadlineRevised',
          data: { ref: command.data.ref, from: action.due, to, reason, ...(agreedBy ? { agreedBy } : {}) },
        },
      ];
    }
    case 'RecordProgressUpdate': {
      const { target } = command.data;
      if (target.kind === 'action') requireOpenAction(plan, target.ref, 'recording progress');
      else requireTarget(plan, target);
      return [{ type: 'ProgressUpdateRecorded', data: command.data }];
    }
    case 'LinkEvidence':
      // Evidence is welcome on a closed action: good practice is "closed with evidence".
      requireTarget(plan, command.data.target);
      return [{ type: 'EvidenceLinked', data: command.data }];
    case 'CompleteAction': {
      const action = requireOpenAction(plan, command.data.ref, 'completing it');
      checkCompletionDate(action, command.data.completedOn, today);
      return [{ type: 'ActionCompleted', data: command.data, effectiveOn: command.data.completedOn }];
    }
    case 'SubsumeAction': {
      requireOpenAction(plan, command.data.ref, 'subsuming it');
      checkSubsumptionTarget(plan, command.data.ref, command.data.into);
      return [{ type: 'ActionSubsumed', data: command.data }];
    }
    case 'WithdrawAction':
      requireOpenAction(plan, command.data.ref, 'withdrawing it');
      return [{ type: 'ActionWithdrawn', data: command.data }];
    case 'ReopenAction': {
      const action = requireAction(plan, command.data.ref);
      if (!closedStatuses.has(action.status))
        throw conflict('action-not-closed', `Action ${command.data.ref} is ${action.status}, not closed`);
      return [{ type: 'ActionReopened', data: command.data }];
    }
    default: {
      const exhaustive: never = command;
      throw new Error(`unhandled command ${JSON.stringify(exhaustive)}`);
    }
  }
};
