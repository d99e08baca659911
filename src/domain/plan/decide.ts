import { isInFuture, londonDay } from '../calendar.ts';
import { conflict, unprocessable } from '../errors.ts';
import { agreeAction } from './actions/agree-action.ts';
import { changeActionLead } from './actions/change-action-lead.ts';
import { completeAction } from './actions/complete-action.ts';
import { reopenAction } from './actions/reopen-action.ts';
import { reviseDeadline } from './actions/revise-deadline.ts';
import { subsumeAction } from './actions/subsume-action.ts';
import { withdrawAction } from './actions/withdraw-action.ts';
import type { Command, DecidedEvent } from './commands.ts';
import { correctEntry } from './corrections/correct-entry.ts';
import type { DecisionContext } from './decision.ts';
import { attachEvidenceFile } from './evidence/attach-evidence-file.ts';
import { eraseEvidence } from './evidence/erase-evidence.ts';
import { requirePlan } from './guards.ts';
import { refuseForbiddenCharacters } from './texts.ts';
import { actionAbout, checkDatedAfterAgreement } from './rules.ts';
import { linkEvidence } from './progress/link-evidence.ts';
import { recordProgressUpdate } from './progress/record-progress-update.ts';
import { assureRecommendation } from './recommendations/assure-recommendation.ts';
import { recordRecommendationResponse } from './recommendations/record-recommendation-response.ts';
import { recordRecommendation } from './recommendations/record-recommendation.ts';
import { addSection } from './registration/add-section.ts';
import { changePlanOwner } from './registration/change-plan-owner.ts';
import { registerPlan } from './registration/register-plan.ts';
import { reinstatePlan } from './retraction/reinstate-plan.ts';
import { retractPlan } from './retraction/retract-plan.ts';
import type { Plan } from './state.ts';

/**
 * Pure: the events a command produces against the plan's current state, or a DomainError.
 * The rules every command shares are checked here; each command's own rules live in the
 * one function that decides it.
 */
export const decide = (command: Command, plan: Plan): DecidedEvent[] => {
  const today = londonDay(command.now);
  const context: DecisionContext = { today, effectiveOn: command.effectiveOn ?? today };
  if (isInFuture(context.effectiveOn, today))
    throw unprocessable('effective-date-in-future', `effectiveOn ${context.effectiveOn} is after today (${today})`);
  refuseForbiddenCharacters(command.data);
  // A retracted plan takes no change but its reinstatement: it is out of every view, so a change to it would go unseen.
  if (plan.status === 'registered' && plan.retracted && command.type !== 'ReinstatePlan' && command.type !== 'RetractPlan')
    throw conflict('plan-retracted', `Plan ${plan.planId} is retracted: reinstate it before changing it`);

  const decided = decideCommand(command, plan, context);
  // Every event about an action, whatever its command, is dated no earlier than the action's agreement.
  if (plan.status === 'registered')
    for (const event of decided) {
      const ref = actionAbout(event);
      const action = ref === undefined ? undefined : plan.actions.get(ref);
      if (action) checkDatedAfterAgreement(action, event.effectiveOn);
    }
  return decided;
};

const decideCommand = (command: Command, plan: Plan, context: DecisionContext): DecidedEvent[] => {
  switch (command.type) {
    case 'RegisterPlan':
      return registerPlan(command, plan, context);
    case 'AddSection':
      return addSection(command, requirePlan(plan), context);
    case 'ChangePlanOwner':
      return changePlanOwner(command, requirePlan(plan), context);
    case 'RecordRecommendation':
      return recordRecommendation(command, requirePlan(plan), context);
    case 'RecordRecommendationResponse':
      return recordRecommendationResponse(command, requirePlan(plan), context);
    case 'AssureRecommendation':
      return assureRecommendation(command, requirePlan(plan), context);
    case 'AgreeAction':
      return agreeAction(command, requirePlan(plan), context);
    case 'ChangeActionLead':
      return changeActionLead(command, requirePlan(plan), context);
    case 'ReviseDeadline':
      return reviseDeadline(command, requirePlan(plan), context);
    case 'RecordProgressUpdate':
      return recordProgressUpdate(command, requirePlan(plan), context);
    case 'LinkEvidence':
      return linkEvidence(command, requirePlan(plan), context);
    case 'AttachEvidenceFile':
      return attachEvidenceFile(command, requirePlan(plan), context);
    case 'EraseEvidence':
      return eraseEvidence(command, requirePlan(plan), context);
    case 'CompleteAction':
      return completeAction(command, requirePlan(plan), context);
    case 'SubsumeAction':
      return subsumeAction(command, requirePlan(plan), context);
    case 'WithdrawAction':
      return withdrawAction(command, requirePlan(plan), context);
    case 'ReopenAction':
      return reopenAction(command, requirePlan(plan), context);
    case 'CorrectEntry':
      return correctEntry(command, requirePlan(plan), context);
    case 'RetractPlan':
      return retractPlan(command, requirePlan(plan), context);
    case 'ReinstatePlan':
      return reinstatePlan(command, requirePlan(plan), context);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unhandled command ${JSON.stringify(_exhaustive)}`);
    }
  }
};
