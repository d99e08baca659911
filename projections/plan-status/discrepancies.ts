import { deadlineFigures } from './action-view.ts';
import type { PlanLines } from './plan-lines.ts';
import { LATE_RECORD_DAYS, LATE_RECORDS_KEPT } from './evolve.ts';

/** A reported rating that reads as green in any plan's wording. */
const GREEN = /^(g|green)$/i;
export const MAX_REVISIONS_BEFORE_FLAG = 2;

/**
 * GET /reports/discrepancies: where what was reported and what the ledger shows disagree.
 * Each finding names the plan, the action and the figures behind it.
 */
export const discrepancies = (plans: Iterable<PlanLines>, today: string) => {
  const greenButOverdue = [];
  const completedWithoutEvidence = [];
  const recordedLate = [];
  const revisedMoreThanTwice = [];
  for (const plan of plans) {
    for (const action of plan.actions) {
      const at = { planId: plan.planId, ref: action.ref, text: action.text };
      const figures = deadlineFigures(action, today);
      const rag = action.reportedRag;
      if (rag && GREEN.test(rag.rating) && figures.daysOverdue !== null)
        greenButOverdue.push({ ...at, reportedRag: rag.rating, reportedOn: rag.reportedOn, daysOverdue: figures.daysOverdue });
      if (action.status === 'completed' && action.evidence === 0) completedWithoutEvidence.push({ ...at, completedOn: action.closedOn! });
      if (action.late.count > 0) recordedLate.push({ ...at, ...action.late });
      if (action.deadlines.length - 1 > MAX_REVISIONS_BEFORE_FLAG)
        revisedMoreThanTwice.push({
          ...at,
          revisions: action.revisions.map((r) => ({ from: r.from, to: r.to, reason: r.reason, agreedBy: r.agreedBy })),
        });
    }
  }
  return {
    today,
    thresholds: {
      recordedLateAfterDays: LATE_RECORD_DAYS,
      lateRecordsListedPerAction: LATE_RECORDS_KEPT,
      revisionsMoreThan: MAX_REVISIONS_BEFORE_FLAG,
    },
    greenButOverdue,
    completedWithoutEvidence,
    recordedLate,
    revisedMoreThanTwice,
  };
};
