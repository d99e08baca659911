import type { PlanEvent } from '../../../events/catalogue.ts';
import type { Decided } from '../decider.ts';
import type { AgreeAction } from './actions/agree-action.ts';
import type { ChangeActionLead } from './actions/change-action-lead.ts';
import type { CompleteAction } from './actions/complete-action.ts';
import type { ReopenAction } from './actions/reopen-action.ts';
import type { ReviseDeadline } from './actions/revise-deadline.ts';
import type { SubsumeAction } from './actions/subsume-action.ts';
import type { WithdrawAction } from './actions/withdraw-action.ts';
import type { CorrectEntry } from './corrections/correct-entry.ts';
import type { LinkEvidence } from './progress/link-evidence.ts';
import type { RecordProgressUpdate } from './progress/record-progress-update.ts';
import type { AssureRecommendation } from './recommendations/assure-recommendation.ts';
import type { RecordRecommendationResponse } from './recommendations/record-recommendation-response.ts';
import type { RecordRecommendation } from './recommendations/record-recommendation.ts';
import type { AddSection } from './registration/add-section.ts';
import type { ChangePlanOwner } from './registration/change-plan-owner.ts';
import type { RegisterPlan } from './registration/register-plan.ts';
import type { ReinstatePlan } from './retraction/reinstate-plan.ts';
import type { RetractPlan } from './retraction/retract-plan.ts';

/**
 * Every command on a plan. Commands are imperative and carry the data the decider needs;
 * each is defined beside the one function that decides it, in its feature's folder.
 */
export type PlanCommand =
  | RegisterPlan
  | AddSection
  | ChangePlanOwner
  | RecordRecommendation
  | RecordRecommendationResponse
  | AssureRecommendation
  | AgreeAction
  | ChangeActionLead
  | ReviseDeadline
  | RecordProgressUpdate
  | LinkEvidence
  | CompleteAction
  | SubsumeAction
  | WithdrawAction
  | ReopenAction
  | CorrectEntry
  | RetractPlan
  | ReinstatePlan;

export type CommandType = PlanCommand['type'];

export type Command = PlanCommand & {
  /** The server's clock when the command arrived (ISO instant); never the client's. */
  now: string;
  /** When it happened in the world, as the document says (YYYY-MM or YYYY-MM-DD); today if absent. */
  effectiveOn?: string | undefined;
};

/** What decide returns: events of the catalogue's union without envelopes; the handler adds ids, actor and clocks. */
export type DecidedEvent = Decided<PlanEvent>;
