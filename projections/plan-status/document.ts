import type { Due } from '../../events/business-date.ts';
import type { EventData } from '../../events/catalogue.ts';

/**
 * The plan-status read model: one JSON document per plan. Every piece of it remembers
 * the event it came from (eventId), so an EntryCorrected can be laid over exactly the
 * part it corrects. Derived values (current deadline, status, lead) are not stored:
 * they are computed from these lists when read, so a correction can never leave a
 * stale copy behind.
 */
export interface Source {
  eventId: string;
  recordedAt: string;
  /** The business date (YYYY-MM or YYYY-MM-DD). */
  effectiveOn: string;
  /** Who recorded it. */
  by: string;
}

export type PlanFields = Omit<EventData<'PlanRegistered'>, 'planId'>;
export type SectionItem = Source & EventData<'SectionAdded'>;
export type OwnerChangeItem = Source & EventData<'PlanOwnerChanged'>;
export type ResponseItem = Source & Omit<EventData<'RecommendationResponseRecorded'>, 'ref'>;
export type AssuranceItem = Source & Omit<EventData<'RecommendationAssured'>, 'ref'>;
/** A link to evidence held elsewhere, or a file the ledger stores (with its content address). */
export type EvidenceItem =
  (Source & Omit<EventData<'EvidenceLinked'>, 'target'>) | (Source & Omit<EventData<'EvidenceFileAttached'>, 'target'>);
/** An evidence file's content erased: which (by sha256), who, when and why. */
export type ErasureItem = Source & EventData<'EvidenceErased'>;
export type UpdateItem = Source & Omit<EventData<'ProgressUpdateRecorded'>, 'target'>;
export type LeadChangeItem = Source & Omit<EventData<'ActionLeadChanged'>, 'ref'>;
/**
 * Where an entry stands on the ledger, for working out the deadline the ledger showed when it was recorded
 * (deadline-shown.ts), whatever the timestamps (entries recorded in one instant share one) and whatever a business date
 * leaves out of a view: its place in the plan's stream, and how many of the plan's corrections (`PlanDoc.corrections`,
 * in ledger order) the fold had met before it.
 */
export interface AfterCorrections {
  streamRevision: number;
  correctionsBefore: number;
}
export type RevisionItem = Source & Omit<EventData<'DeadlineRevised'>, 'ref'> & AfterCorrections;
export type ClosureItem = Source &
  AfterCorrections &
  (
    | ({ kind: 'completed' } & Omit<EventData<'ActionCompleted'>, 'ref'>)
    | ({ kind: 'subsumed' } & Omit<EventData<'ActionSubsumed'>, 'ref'>)
    | ({ kind: 'withdrawn' } & Omit<EventData<'ActionWithdrawn'>, 'ref'>)
    | ({ kind: 'reopened' } & Omit<EventData<'ActionReopened'>, 'ref'>)
  );

/** A progress update or completion typed in long after it happened: kept for the discrepancy report. */
export interface LateRecord {
  eventId: string;
  type: string;
  effectiveOn: string;
  recordedAt: string;
  lagDays: number;
}

/** What progress updates and evidence attach to, on actions and recommendations alike. */
export interface Reported {
  updates: number;
  lastUpdate: UpdateItem | null;
  evidence: EvidenceItem[];
}

export interface RecommendationDoc extends Reported {
  ref: string;
  recorded: Source & Omit<EventData<'RecommendationRecorded'>, 'ref'>;
  responses: ResponseItem[];
  assurances: AssuranceItem[];
}

export interface ActionDoc extends Reported {
  ref: string;
  sectionRef: string | null;
  /** The ActionAgreed event's fields: the original text, leads and deadline. */
  agreed: Source & Omit<EventData<'ActionAgreed'>, 'ref' | 'sectionRef'>;
  leadChanges: LeadChangeItem[];
  revisions: RevisionItem[];
  /** The latest closing or reopening event (earlier ones are in the timeline): the action's state follows it. */
  closure: ClosureItem | null;
  /** Updates and completions typed in long after they happened: how many, the worst lag, the latest few. */
  late: { count: number; maxLagDays: number; latest: LateRecord[] };
  /**
   * The last event about this action: which, when recorded and its business date (as corrected;
   * recordedOn is the date it was recorded with, so a correction taken back can restore it).
   */
  lastActivity: { eventId: string; recordedAt: string; effectiveOn: string; recordedOn: string };
}

/**
 * A correction as later corrections of it have amended it (what the view shows), with what
 * it said when recorded, so the corrections in force can be worked out again from scratch.
 */
export interface CorrectionItem extends Source {
  correctedEventId: string;
  correctedType: string;
  changes: Record<string, unknown>;
  /** The corrected event's business date, when the correction moves it (the event's item shows it as effectiveOn). */
  correctedEffectiveOn?: string;
  reason: string;
  recorded: EventData<'EntryCorrected'>;
}

/** A field's value before any correction was laid over it; absent when the event did not have the field. */
export type OriginalValue = { value: unknown } | { absent: true };

export interface PlanDoc {
  planId: string;
  /**
   * Ledger position of the last event applied: an event at or below it is a replay and changes
   * nothing. A JSON number, since documents are plain JSON: evolve converts the fact's bigint
   * position here, and 2^53 events is far beyond any ledger.
   */
  position: number;
  revision: number;
  lastRecordedAt: string;
  /** The PlanRegistered event's fields; the owner it names is the first of the plan's owners. */
  plan: Source & PlanFields;
  /** Every change of owner in order: the last one's `to` owns the plan now. */
  ownerChanges: OwnerChangeItem[];
  sections: SectionItem[];
  recommendations: RecommendationDoc[];
  actions: ActionDoc[];
  corrections: CorrectionItem[];
  /** Every erasure of an evidence file's content: a file item whose sha256 is here is shown as erased. */
  erasures: ErasureItem[];
  /**
   * By corrected event id, each corrected field's value as the event recorded it: a correction taken back restores it.
   * A corrected business date is kept here as `effectiveOn`, so the original date stays visible beside the corrected one.
   */
  originals: Record<string, Record<string, OriginalValue>>;
  /**
   * Set while the plan is retracted: it is then in no current view or report (plan-reader.ts), though its
   * history stays in its timeline and in every "as of" answer before the retraction. Absent in documents
   * written before retractions existed, which read as not retracted.
   */
  retraction?: (Source & { reason: string }) | null;
  /**
   * Only in a document at a business date: the deadline revisions recorded on the ledger that it leaves out, as they
   * took effect after that date, recorded before a revision or closure of the same action that it holds. What the ledger
   * showed when that entry was recorded is worked out with them too (deadline-shown.ts): the ledger showed their
   * deadlines from when they were recorded, whatever dates they give.
   */
  revisionsNotCounted?: RevisionNotCounted[];
}

/** A deadline revision a document at a business date leaves out: which action, where on the ledger, and its new deadline. */
export interface RevisionNotCounted {
  ref: string;
  eventId: string;
  streamRevision: number;
  recordedAt: string;
  to: Due;
}

export const currentOwner = (doc: PlanDoc): string => doc.ownerChanges.at(-1)?.to ?? doc.plan.owner;

export const currentDue = (action: ActionDoc): Due => action.revisions.at(-1)?.to ?? action.agreed.due;

/** Evidence as the views show it: a file item says whether, when and why its content was erased (null: it was not). */
export const evidenceView = (doc: PlanDoc, items: readonly EvidenceItem[]) =>
  items.map((item) =>
    'file' in item ? { ...item, erased: (doc.erasures ?? []).find((e) => e.sha256 === item.file.sha256) ?? null } : item,
  );
