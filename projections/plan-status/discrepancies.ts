import { deadlineFigures, statusOf } from './action-view.ts';
import type { PlanDoc } from './document.ts';
import { LATE_RECORD_DAYS, LATE_RECORDS_KEPT } from './evolve.ts';

/** A reported rating that reads as green in any plan's wording. */
const GREEN = /^(g|green)$/i;
export const MAX_REVISIONS_BEFORE_FLAG = 2;

/**
 * GET /reports/discrepancies: where what was reported and what the ledger shows disagree.
 * Each finding names the plan, the action and the figures behind it.
 */
export const discrepancies = (docs: Iterable<PlanDoc>, today: string) => {
  const greenButOverdue = [];
  const completedWithoutEvidence = [];
  const recordedLate = [];
  const revisedMoreThanTwice = [];
  for (const doc of docs) {
    for (const action of doc.actions) {
      const at = { planId: doc.planId, ref: action.ref, text: action.agreed.text };
      const figures = deadlineFigures(action, today);
      const rag = action.lastUpdate?.reportedRag;
      if (rag && GREEN.test(rag.rating) && figures.daysOverdue !== null)
        greenButOverdue.push({
          ...at,
          reportedRag: rag.rating,
          reportedOn: action.lastUpdate!.effectiveOn,
          daysOverdue: figures.daysOverdue,
        });
      if (statusOf(action) === 'completed' && action.evidence.length === 0)
        completedWithoutEvidence.push({ ...at, completedOn: action.closure!.effectiveOn });
      if (action.late.count > 0) recordedLate.push({ ...at, ...action.late });
      if (action.revisions.length > MAX_REVISIONS_BEFORE_FLAG)
        revisedMoreThanTwice.push({
          ...at,
          revisions: action.revisions.map((r) => ({ from: r.from, to: r.to, reason: r.reason, agreedBy: r.agreedBy ?? null })),
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
