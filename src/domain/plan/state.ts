import type { Due } from '../../../events/business-date.ts';
import type { EventType, PlanEvent } from '../../../events/catalogue.ts';

/** An event as the decider folds it: its data plus the identity and business date from its envelope. */
export type PlanFact = PlanEvent & { eventId: string; effectiveOn: string };

export type ActionStatus = 'open' | 'inProgress' | 'completed' | 'subsumed' | 'withdrawn';
export const closedStatuses: ReadonlySet<ActionStatus> = new Set(['completed', 'subsumed', 'withdrawn']);

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
  governanceBody: string | undefined;
  sections: Set<string>;
  recommendations: Map<string, RecommendationState>;
  actions: Map<string, ActionState>;
  /** Every event of the plan by id, as recorded, so a correction can name one and be checked against its type and date. */
  events: Map<string, { type: EventType; data: Record<string, unknown>; effectiveOn: string }>;
  /** The facts in order, kept so a correction can be applied by folding history again with it overlaid. */
  history: PlanFact[];
  /** Every EntryCorrected fact in order: a correction may itself be corrected. */
  correctionFacts: PlanFact[];
  /** Field changes by corrected event id, resolved across successive corrections; a corrected business date rides under EFFECTIVE_ON. */
  corrections: Map<string, Record<string, unknown>>;
}

export type Plan = { status: 'unregistered' } | RegisteredPlan;

export const initialState = (): Plan => ({ status: 'unregistered' });
