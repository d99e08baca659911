import { deadlineFiguresOn } from './action-view.ts';
import { findingsPager, inPlanOrder, type FindingsPage, type WHOLE_REPORT } from './findings-page.ts';
import {
  afterDeadlineInEitherWay,
  closureOf,
  inForceWhenAgreed,
  missHiddenByClosure,
  type ActionLine,
  type PlanLines,
} from './plan-lines.ts';
import { LATE_RECORD_DAYS, LATE_RECORDS_KEPT } from './evolve.ts';

/** A reported rating that reads as green in any plan's wording. */
const GREEN = /^(g|green)$/i;
export const MAX_REVISIONS_BEFORE_FLAG = 2;

/** Which plan and action a finding is about: the plan by its id and by the title people know it by. */
const findingAt = (plan: PlanLines, action: ActionLine) => ({
  planId: plan.planId,
  planTitle: plan.title,
  ref: action.ref,
  text: action.text,
});

/**
 * The revisions of an action agreed after the deadline then in force had passed, or recorded after the one the
 * ledger showed had (plan-lines.ts): a deadline moved once it had been missed, which turns "missed" into "revised"
 * in the deadline report. One dated before the deadline but recorded after the ledger had shown it pass is such a
 * move too: the date it gives itself is what the person recording it says. `deadlineShown` is the deadline the ledger
 * showed when it was recorded, its `from` as recorded (`from` is as corrected since).
 */
const revisionsAfterDeadline = (action: ActionLine) =>
  inForceWhenAgreed(action.details.revisions, action.deadlines)
    .filter(afterDeadlineInEitherWay)
    .map(({ revision: r, deadlineInForce, afterDeadline }) => ({
      agreedOn: r.effectiveOn,
      deadlineInForce,
      from: r.from,
      to: r.to,
      reason: r.reason,
      agreedBy: r.agreedBy,
      recordedBy: r.recordedBy,
      recordedAt: r.recordedAt,
      agreedAfterDeadline: afterDeadline,
      recordedAfterDeadline: r.recordedAfterDeadline,
      deadlineShown: r.deadlineShown,
    }));

/**
 * An action closed once its deadline had passed unmet, which takes a miss out of the deadline report's count of missed:
 * subsumed or withdrawn on a date after its deadline, or closed by an entry recorded after the deadline the ledger
 * showed had passed where its dates read otherwise (plan-lines.ts, `missHiddenByClosure`): a completion dated after
 * its deadline is counted missed already. Only a closed action is weighed (closureOf and missHiddenByClosure read no date
 * of any other): most are counted without reading one.
 */
const closedAfterItsDeadline = (action: ActionLine): boolean =>
  closureOf(action).closedAfterDeadline || missHiddenByClosure(action) !== null;

/**
 * GET /reports/discrepancies: where what was reported and what the ledger shows disagree. A deadline
 * moved (by its business date, or recorded once the ledger had shown the deadline pass), or an action
 * closed (by a subsumption or withdrawal dated after it, or any closure recorded after it) once the deadline had
 * passed unmet is listed too: each takes a miss out of the
 * deadline report's count of missed, and a board is told of it here.
 * Each finding names the plan, the action and the figures behind it. `totals` counts every
 * plan's findings in each list; the lists hold one page of them (findings-page.ts), or every one.
 */
export const discrepancies = (plans: Iterable<PlanLines>, today: string, page: FindingsPage | typeof WHOLE_REPORT) => {
  const figuresOf = deadlineFiguresOn(today);
  const pager = findingsPager(page);
  const totals = {
    greenButOverdue: 0,
    completedWithoutEvidence: 0,
    recordedLate: 0,
    revisedMoreThanTwice: 0,
    revisedAfterDeadline: 0,
    closedAfterDeadline: 0,
  };
  const greenButOverdue = [];
  const completedWithoutEvidence = [];
  const recordedLate = [];
  const revisedMoreThanTwice = [];
  const revisedAfterDeadline = [];
  const closedAfterDeadline = [];
  for (const plan of inPlanOrder(plans)) {
    const listing = pager.lists(plan.planId);
    let found = 0;
    for (const action of plan.actions) {
      const rag = action.reportedRag;
      // Only a green rating needs the deadline figures: most actions are counted without them.
      const daysOverdue = rag && GREEN.test(rag.rating) ? figuresOf(action).daysOverdue : null;
      if (rag && daysOverdue !== null) {
        totals.greenButOverdue++;
        found++;
        if (listing) greenButOverdue.push({ ...findingAt(plan, action), reportedRag: rag.rating, reportedOn: rag.reportedOn, daysOverdue });
      }
      if (action.status === 'completed' && action.evidence === 0) {
        totals.completedWithoutEvidence++;
        found++;
        if (listing) completedWithoutEvidence.push({ ...findingAt(plan, action), completedOn: action.closedOn! });
      }
      if (action.late.count > 0) {
        totals.recordedLate++;
        found++;
        if (listing) recordedLate.push({ ...findingAt(plan, action), ...action.late, latest: action.details.lateRecords });
      }
      if (action.deadlines.length - 1 > MAX_REVISIONS_BEFORE_FLAG) {
        totals.revisedMoreThanTwice++;
        found++;
        if (listing)
          revisedMoreThanTwice.push({
            ...findingAt(plan, action),
            revisions: action.details.revisions.map((r) => ({ from: r.from, to: r.to, reason: r.reason, agreedBy: r.agreedBy })),
          });
      }
      if (action.revisedAfterDeadline > 0) {
        totals.revisedAfterDeadline++;
        found++;
        if (listing) revisedAfterDeadline.push({ ...findingAt(plan, action), revisions: revisionsAfterDeadline(action) });
      }
      if (closedAfterItsDeadline(action)) {
        totals.closedAfterDeadline++;
        found++;
        if (listing)
          closedAfterDeadline.push({
            ...findingAt(plan, action),
            status: action.status,
            closedOn: action.closedOn!,
            currentDue: action.currentDue,
            closedAfterDeadline: closureOf(action).closedAfterDeadline,
            closureRecordedAfterDeadline: action.closureRecordedAfterDeadline,
          });
      }
    }
    pager.counted(plan.planId, found, listing);
  }
  return {
    today,
    thresholds: {
      recordedLateAfterDays: LATE_RECORD_DAYS,
      lateRecordsListedPerAction: LATE_RECORDS_KEPT,
      revisionsMoreThan: MAX_REVISIONS_BEFORE_FLAG,
    },
    totals,
    ...pager.done(),
    greenButOverdue,
    completedWithoutEvidence,
    recordedLate,
    revisedMoreThanTwice,
    revisedAfterDeadline,
    closedAfterDeadline,
  };
};
