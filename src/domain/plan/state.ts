import type { Due } from '../../../events/business-date.ts';
import type { EventType, PlanEvent } from '../../../events/catalogue.ts';
import type { ActionStatus } from '../action-status.ts';
import type { CorrectionRecord, Overlay } from '../correction-overlay.ts';
import type { Recorded } from '../decider.ts';

/** An event as the decider folds it: its data plus the identity and business date from its envelope. */
export type PlanFact = Recorded<PlanEvent>;

/** One type's fact, narrowed: what the fold hands the code that applies that type. */
export type PlanFactOf<K extends EventType> = Extract<PlanFact, { type: K }>;

export interface ActionState {
  ref: string;
  sectionRef: string | undefined;
  status: ActionStatus;
  /** The business date the action was agreed on: completion cannot precede it. */
  agreedOn: string;
  due: Due;
  leadOrganisations: string[];
  partnerOrganisations: string[];
}

export interface RecommendationState {
  ref: string;
  /** The bodies it is addressed to: their contributors may report progress and evidence on it. */
  addressedTo: string[];
}

export interface RegisteredPlan {
  status: 'registered';
  planId: string;
  /** Who owns the plan and who signs its work off: access control scopes plan managers by them. */
  owner: string;
  /** Retracted (and not reinstated): out of every current view, and closed to every command but reinstatement. */
  retracted: boolean;
  governanceBody: string | undefined;
  sections: Set<string>;
  recommendations: Map<string, RecommendationState>;
  actions: Map<string, ActionState>;
  /** Every event of the plan by id, as recorded, so a correction can name one and be checked against its type and date. */
  events: Map<string, { type: EventType; data: Record<string, unknown>; effectiveOn: string }>;
  /** The facts in order, kept so a correction can be applied by folding history again with it overlaid. */
  history: PlanFact[];
  /** Every EntryCorrected in order: a correction may itself be corrected. */
  correctionFacts: CorrectionRecord[];
  /**
   * Field changes by corrected event id, resolved across successive corrections; a corrected
   * business date rides under EFFECTIVE_ON.
   */
  corrections: Map<string, Overlay>;
}

export type Plan = { status: 'unregistered' } | RegisteredPlan;

export const initialState = (): Plan => ({ status: 'unregistered' });
