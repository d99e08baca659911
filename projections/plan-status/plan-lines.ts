import type { BusinessDate, Due } from '../../events/business-date.ts';
import type { ActionStatus } from '../../src/domain/action-status.ts';
import { datedAfterDeadline } from './dates.ts';
import { deadlinePassedWhenRecorded, lateClosure, type CorrectionsOf, type LateClosure } from './deadline-shown.ts';
import { currentDue, currentOwner, type ActionDoc, type LateRecord, type PlanDoc, type RecommendationDoc } from './document.ts';

export type { LateClosure, LateRecord };

/**
 * What the cross-plan views (the plan list, accountability, the deadline and discrepancy
 * reports) read of a plan: one line per action and recommendation beside the plan's header.
 * Lines are taken from the plan-status document the one evolve built, live or at any pair of
 * clocks, so a report and the plan's own view never disagree; and they are small, so a report
 * over every plan at an earlier date reads lines, not whole documents (docs/projections.md).
 */
export interface RevisionLine {
  from: Due;
  to: Due;
  reason: string;
  agreedBy: string | null;
  recordedBy: string;
  effectiveOn: string;
  recordedAt: string;
  /**
   * Recorded after the deadline the ledger showed then (`from`) had passed, the action on the ledger by that day
   * (dates.ts, `recordedAfterShownDeadline`): the ledger showed it missed until this revision came, whatever its date.
   */
  recordedAfterDeadline: boolean;
  /**
   * Where `recordedAfterDeadline`, the deadline the ledger showed then: the revision's `from` as recorded, which a
   * correction since may have changed; null otherwise.
   */
  deadlineShown: Due | null;
}

/**
 * What a report shows only for the actions it lists, never for what it counts: each revision in
 * full (who agreed it, why, when) and the latest record made long after the fact. Kept apart so a
 * read of every plan's lines need not resolve them: on a long plan they are most of a line's
 * values. Lines folded from a document hold them as plain arrays; lines read from the history
 * resolve them when a view reads them (history/line-codec.ts).
 */
export interface ActionDetails {
  readonly revisions: RevisionLine[];
  readonly lateRecords: LateRecord[];
}

export interface ActionLine {
  ref: string;
  text: string;
  status: ActionStatus;
  agreedOn: string;
  originalDue: Due;
  currentDue: Due;
  /** Every deadline the action has had: the original, then each revision's new one. */
  deadlines: Due[];
  /** Set while the action stands completed. */
  completedOn: BusinessDate | null;
  /** The business date of the closure in force (completed, subsumed or withdrawn). */
  closedOn: string | null;
  leads: string[];
  partners: string[];
  /** The business date of the latest update, or of the agreement when there is none: what "stale" counts from. */
  lastUpdatedOn: string;
  reportedRag: { rating: string; reportedOn: string } | null;
  evidence: number;
  /** Facts recorded long after they happened: how many, and the longest lag in days. */
  late: { count: number; maxLagDays: number };
  /**
   * How many of its revisions were agreed after the deadline then in force had passed, or recorded after the one the
   * ledger showed had (dates.ts; `RevisionLine.recordedAfterDeadline`): counted on the line so the discrepancy report
   * finds them without resolving every revision.
   */
  revisedAfterDeadline: number;
  /**
   * The closure in force (a completion, subsumption or withdrawal) when it was recorded after the deadline the ledger
   * showed then had passed, that deadline having been on the ledger by its last day (dates.ts, `recordedAfterShownDeadline`):
   * when it was recorded, and that deadline. The ledger showed the action missed until then, whatever date the closure
   * gives itself. Null for every other action.
   */
  closureRecordedAfterDeadline: LateClosure | null;
  details: ActionDetails;
}

export interface RecommendationLine {
  ref: string;
  text: string;
  addressedTo: string[];
  /** The latest assurance judgement, or null while it awaits assurance. */
  judgement: string | null;
}

export interface PlanHeader {
  planId: string;
  title: string;
  kind: string;
  owner: string;
  governanceBody: string | null;
  area: string | null;
  registeredOn: string;
  /** The ledger position of the plan's last event that counts at the clocks read at. */
  position: number;
}

/** Where the plan's last counted event stands in its stream, and when it was recorded: the plan list shows both. */
export interface PlanStamp {
  revision: number;
  lastRecordedAt: string;
}

export interface PlanLines extends PlanHeader {
  actions: ActionLine[];
  recommendations: RecommendationLine[];
}

/**
 * Each revision with the deadline in force when it was agreed — the action's first, or the one the
 * revision before it set, each as corrected since (`deadlines`: the first, then each revision's;
 * a revision's own `from` is what was in force when it was recorded, which a later correction of
 * an earlier deadline leaves as it was) — and whether that deadline had passed by then (dates.ts).
 */
export const inForceWhenAgreed = <R extends { effectiveOn: string }>(revisions: readonly R[], deadlines: readonly Due[]) =>
  revisions.map((revision, i) => ({
    revision,
    deadlineInForce: deadlines[i]!,
    afterDeadline: datedAfterDeadline(revision.effectiveOn, deadlines[i]!),
  }));

/**
 * When an action was subsumed or withdrawn (`closedOn`, null otherwise), and whether that came after its
 * deadline had passed unmet (`closedAfterDeadline`: the closure's business date after the current deadline's
 * last day, as a revision is weighed above). Such a closure turns "missed" into "closed" in the deadline report.
 * When it was recorded is weighed apart, against the deadline the ledger showed then (`closureRecordedAfterDeadline`).
 */
export const closureOf = (action: Pick<ActionLine, 'status' | 'closedOn' | 'currentDue'>) => {
  const closed = (action.status === 'subsumed' || action.status === 'withdrawn') && action.closedOn !== null;
  return {
    closedOn: closed ? action.closedOn : null,
    closedAfterDeadline: closed && datedAfterDeadline(action.closedOn!, action.currentDue),
  };
};

/**
 * The closure recorded after the deadline the ledger showed had passed (`closureRecordedAfterDeadline`) where the
 * action's dates read otherwise: a completion dated by its deadline (met), or a subsumption or withdrawal dated by it
 * (not `closedAfterDeadline`). Null where there is none, or where the dates already say the deadline had passed. What
 * the reports and pages name beside the action, and the discrepancy report lists.
 */
export const missHiddenByClosure = (
  action: Pick<ActionLine, 'status' | 'closedOn' | 'currentDue' | 'completedOn' | 'closureRecordedAfterDeadline'>,
): LateClosure | null => {
  const late = action.closureRecordedAfterDeadline;
  if (late === null) return null;
  const dated = action.completedOn ?? (closureOf(action).closedOn as string | null);
  return dated !== null && datedAfterDeadline(dated, action.currentDue) ? null : late;
};

/** A revision its own date puts after the deadline then in force, or that moved a miss the ledger had shown. */
export const afterDeadlineInEitherWay = (r: { afterDeadline: boolean; revision: { recordedAfterDeadline: boolean } }) =>
  r.afterDeadline || r.revision.recordedAfterDeadline;

export const statusOf = (action: ActionDoc): ActionStatus => {
  const last = action.closure;
  if (last && last.kind !== 'reopened') return last.kind;
  return last || action.updates > 0 ? 'inProgress' : 'open';
};

export const leadsOf = (action: ActionDoc): string[] => action.leadChanges.at(-1)?.to ?? action.agreed.leadOrganisations;

export const partnersOf = (action: ActionDoc): string[] =>
  [...action.leadChanges].reverse().find((c) => c.partnersTo !== undefined)?.partnersTo ?? action.agreed.partnerOrganisations;

/**
 * An action's line. `corrections` are the plan's (its document), which a revision's `recordedAfterDeadline` and
 * `deadlineShown`, and the closure's `closureRecordedAfterDeadline`, are weighed with: every view passes them, so the
 * plan's own view and the reports say the same of it.
 */
export const actionLine = (action: ActionDoc, corrections: CorrectionsOf): ActionLine => {
  const status = statusOf(action);
  const closure = action.closure && action.closure.kind !== 'reopened' ? action.closure : null;
  const rag = action.lastUpdate?.reportedRag;
  const deadlines = [action.agreed.due, ...action.revisions.map((r) => r.to)];
  const revisions: RevisionLine[] = action.revisions.map((r, i) => {
    const deadlineShown = deadlinePassedWhenRecorded(action, i, corrections);
    return {
      from: r.from,
      to: r.to,
      reason: r.reason,
      agreedBy: r.agreedBy ?? null,
      recordedBy: r.by,
      effectiveOn: r.effectiveOn,
      recordedAt: r.recordedAt,
      recordedAfterDeadline: deadlineShown !== null,
      deadlineShown,
    };
  });
  return {
    ref: action.ref,
    text: action.agreed.text,
    status,
    agreedOn: action.agreed.effectiveOn,
    originalDue: action.agreed.due,
    currentDue: currentDue(action),
    deadlines,
    completedOn: closure?.kind === 'completed' ? closure.completedOn : null,
    closedOn: closure?.effectiveOn ?? null,
    leads: leadsOf(action),
    partners: partnersOf(action),
    lastUpdatedOn: action.lastUpdate?.effectiveOn ?? action.agreed.effectiveOn,
    reportedRag: rag ? { rating: rag.rating, reportedOn: action.lastUpdate!.effectiveOn } : null,
    evidence: action.evidence.length,
    late: { count: action.late.count, maxLagDays: action.late.maxLagDays },
    revisedAfterDeadline: inForceWhenAgreed(revisions, deadlines).filter(afterDeadlineInEitherWay).length,
    closureRecordedAfterDeadline: lateClosure(action, corrections),
    details: { revisions, lateRecords: action.late.latest },
  };
};

export const recommendationLine = (rec: RecommendationDoc): RecommendationLine => ({
  ref: rec.ref,
  text: rec.recorded.text,
  addressedTo: rec.recorded.addressedTo,
  judgement: rec.assurances.at(-1)?.judgement ?? null,
});

export const planHeaderOf = (doc: PlanDoc): PlanHeader => ({
  planId: doc.planId,
  title: doc.plan.title,
  kind: doc.plan.kind,
  owner: currentOwner(doc),
  governanceBody: doc.plan.governanceBody ?? null,
  area: doc.plan.area ?? null,
  registeredOn: doc.plan.effectiveOn,
  position: doc.position,
});

export const planLines = (doc: PlanDoc): PlanLines => ({
  ...planHeaderOf(doc),
  actions: doc.actions.map((action) => actionLine(action, doc)),
  recommendations: doc.recommendations.map(recommendationLine),
});
