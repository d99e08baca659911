import { daysLateAfter, dueDayNumber, firstDayNumber } from './dates.ts';
import { currentDue, evidenceView, type ActionDoc, type PlanDoc } from './document.ts';
import { actionLine, closureOf, leadsOf, partnersOf, statusOf, type ActionLine } from './plan-lines.ts';

/** Our own reading of an action from its dates and events, whatever RAG it reported. */
export type ComputedStatus =
  'on-track' | 'due-soon' | 'overdue' | 'ongoing' | 'no-deadline' | 'completed-on-time' | 'completed-late' | 'completed' | 'closed';

export const DUE_SOON_DAYS = 30;
export const STALE_AFTER_DAYS = 90;

const closedStatuses = new Set(['completed', 'subsumed', 'withdrawn']);

export const isClosed = (line: ActionLine) => closedStatuses.has(line.status);

export interface DeadlineFigures {
  computedStatus: ComputedStatus;
  daysOverdue: number | null;
  /** Completion lateness against the deadline first agreed and against the one in force. */
  daysLateAgainstOriginal: number | null;
  daysLateAgainstCurrent: number | null;
  slippageDays: number | null;
  stale: boolean;
}

/**
 * The deadline figures of actions on one London day: what depends on the day alone is
 * worked out once, for reports that ask it of every action of every plan. Days are compared
 * as day numbers (dates.ts).
 */
export const deadlineFiguresOn = (today: string) => {
  const day = firstDayNumber(today);
  return (line: ActionLine): DeadlineFigures => {
    const { originalDue: original, currentDue: current, status, completedOn } = line;
    const due = dueDayNumber(current);
    const originalDay = dueDayNumber(original);
    const lateOriginal = completedOn !== null && originalDay !== undefined ? daysLateAfter(completedOn, originalDay) : undefined;
    const lateCurrent = completedOn !== null && due !== undefined ? daysLateAfter(completedOn, due) : undefined;
    const open = status === 'open' || status === 'inProgress';
    const overdue = open && due !== undefined && day > due ? day - due : null;
    const computedStatus: ComputedStatus =
      completedOn !== null
        ? lateCurrent === undefined
          ? 'completed'
          : lateCurrent > 0
            ? 'completed-late'
            : 'completed-on-time'
        : !open
          ? 'closed'
          : current.kind === 'ongoing'
            ? 'ongoing'
            : due === undefined
              ? 'no-deadline'
              : overdue !== null
                ? 'overdue'
                : due <= day + DUE_SOON_DAYS
                  ? 'due-soon'
                  : 'on-track';
    return {
      computedStatus,
      daysOverdue: overdue,
      daysLateAgainstOriginal: lateOriginal ?? null,
      daysLateAgainstCurrent: lateCurrent ?? null,
      slippageDays: originalDay === undefined || due === undefined ? null : due - originalDay,
      // A month-precision update counts from the month's first day: the record says no more.
      stale: open && day - firstDayNumber(line.lastUpdatedOn) > STALE_AFTER_DAYS,
    };
  };
};

/** The deadline figures of one action on a London day, from its line (the plan view and every report read the same). */
export const deadlineFigures = (line: ActionLine, today: string): DeadlineFigures => deadlineFiguresOn(today)(line);

/** The reported RAG of the latest update, with what that rating means in this plan's own legend. */
export const reportedRagOf = (doc: PlanDoc, action: ActionDoc) => {
  const rag = action.lastUpdate?.reportedRag;
  if (!rag) return null;
  const legend = doc.plan.ragLegend.find((l) => l.rating.toLowerCase() === rag.rating.toLowerCase());
  return { rating: rag.rating, meaning: rag.meaning ?? legend?.meaning ?? null, reportedOn: action.lastUpdate!.effectiveOn };
};

/** A closure as the views show it: what was recorded, without where the fold found it on the ledger (document.ts). */
type WithoutFoldCount<C> = C extends unknown ? Omit<C, 'correctionsBefore' | 'streamRevision'> : never;
const withoutFoldCount = <C extends { correctionsBefore: number; streamRevision: number }>({
  correctionsBefore: _,
  streamRevision: __,
  ...recorded
}: C) => recorded as WithoutFoldCount<C>;

/**
 * An action as `GET /plans/:planId` shows it. `line` is the line the reports read, weighed with the plan's corrections,
 * so the plan says what the deadline report says of it; a page that also reads the line for its tags passes it in.
 */
export const actionView = (doc: PlanDoc, action: ActionDoc, today: string, line: ActionLine = actionLine(action, doc)) => {
  const { agreed } = action;
  const closure = action.closure;
  return {
    ref: action.ref,
    sectionRef: action.sectionRef,
    text: agreed.text,
    status: statusOf(action),
    ...deadlineFigures(line, today),
    // As the deadline report's rows say them (plan-lines.ts): revisions that moved a deadline once it had passed, a
    // subsumption or withdrawal dated after its deadline, and a closure recorded after the deadline the ledger showed.
    revisedAfterDeadline: line.revisedAfterDeadline,
    closedAfterDeadline: closureOf(line).closedAfterDeadline,
    closureRecordedAfterDeadline: line.closureRecordedAfterDeadline,
    leadOrganisations: leadsOf(action),
    partnerOrganisations: partnersOf(action),
    ledByWording: agreed.ledByWording ?? null,
    recommendationRefs: agreed.recommendationRefs,
    relatedActionRefs: agreed.relatedActionRefs,
    intendedOutcomes: agreed.intendedOutcomes,
    agreedOn: agreed.effectiveOn,
    originalDue: agreed.due,
    currentDue: currentDue(action),
    revisions: action.revisions.length,
    closure: closure && closure.kind !== 'reopened' ? withoutFoldCount(closure) : null,
    reportedRag: reportedRagOf(doc, action),
    updates: action.updates,
    lastUpdate: action.lastUpdate,
    lastUpdatedAt: action.lastActivity.recordedAt,
    lastUpdatedOn: action.lastActivity.effectiveOn,
    evidence: evidenceView(doc, action.evidence),
  };
};
export type ActionView = ReturnType<typeof actionView>;
