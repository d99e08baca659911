import type { Due } from '../../../events/business-date.ts';
import type { EventData } from '../../../events/catalogue.ts';

/**
 * Commands are imperative and carry everything the decider needs: the data, the
 * business date the change took effect (defaults to today) and the server's clock
 * reading `now`. Ids arrive in the data (planId) or are the handler's concern (event ids).
 */
export type PlanCommand =
  | { type: 'RegisterPlan'; data: EventData<'PlanRegistered'> }
  | { type: 'AddSection'; data: EventData<'SectionAdded'> }
  | { type: 'RecordRecommendation'; data: EventData<'RecommendationRecorded'> }
  | { type: 'RecordRecommendationResponse'; data: EventData<'RecommendationResponseRecorded'> }
  | { type: 'AgreeAction'; data: EventData<'ActionAgreed'> }
  | { type: 'ChangeActionLead'; data: { ref: string; to: string[]; partnersTo?: string[] | undefined } }
  | { type: 'ReviseDeadline'; data: { ref: string; to: Due; reason: string; agreedBy?: string | undefined } }
  | { type: 'RecordProgressUpdate'; data: EventData<'ProgressUpdateRecorded'> }
  | { type: 'LinkEvidence'; data: EventData<'EvidenceLinked'> }
  | { type: 'CompleteAction'; data: EventData<'ActionCompleted'> }
  | { type: 'SubsumeAction'; data: EventData<'ActionSubsumed'> }
  | { type: 'WithdrawAction'; data: EventData<'ActionWithdrawn'> }
  | { type: 'ReopenAction'; data: EventData<'ActionReopened'> }
  | { type: 'AssureRecommendation'; data: EventData<'RecommendationAssured'> }
  | {
      type: 'CorrectEntry';
      /** correctedEffectiveOn is the corrected event's business date; the command's own effectiveOn is the correction's. */
      data: { correctedEventId: string; changes: Record<string, unknown>; correctedEffectiveOn?: string | undefined; reason: string };
    };

export type CommandType = PlanCommand['type'];

export type Command = PlanCommand & {
  /** The server's clock when the command arrived (ISO instant); never the client's. */
  now: string;
  /** When it happened in the world, as the document says (YYYY-MM or YYYY-MM-DD); today if absent. */
  effectiveOn?: string | undefined;
};

/** What decide returns: events without envelopes; the handler adds ids, actor and clocks. */
export type DecidedEvent = { type: string; data: Record<string, unknown>; effectiveOn: string };
