import type { LedgerFact } from '../ledger-fact.ts';
import type { DocumentProjection } from '../runner/projection.ts';
import type { PlanDoc } from './document.ts';
import { evolvePlanStatus } from './evolve.ts';

/**
 * Plan status, accountability, deadlines and discrepancies all read this one document
 * per plan. Bump the version when evolve changes what it writes: the next start rebuilds.
 */
export const planStatusProjection: DocumentProjection<PlanDoc> = {
  name: 'plan-status',
  // 13: a correction of a completion's date alone moves its business date too (correction-overlay.ts).
  // 14: the business-time history follows a correction redirected at any depth (business-settle.ts).
  // 15: the history's business days: a month-dated fact recorded within its month counts from that day (clocks.ts).
  // 16: a month corrections set within it counts from the day the correction that last changed it was recorded (select-facts.ts).
  // 17: the history's business days: nothing about an action or a recommendation counts before it does (clocks/subjects-first.ts).
  // 18: snapshots are kept in lines, which a release before them cannot read (runner/snapshot-codec.ts).
  // 19: an action's line counts its revisions agreed after the deadline in force had passed (plan-lines.ts).
  // 20: (not released) a revision or closure recorded after the ledger had shown its deadline pass, by another reading.
  // 21: a revision recorded after the deadline the ledger showed then had passed counts as after the deadline (plan-lines.ts).
  // 22: (not released) an action's line names a closure recorded after the deadline the ledger showed had passed.
  // 23: the same, each revision and closure knowing where it stands on the ledger (plan-status/document.ts, AfterCorrections).
  // 24: the same, each revision's line naming the deadline the ledger showed when it was recorded late (plan-lines.ts).
  // 25: at a business date, a revision or closure is weighed against every revision recorded before it, one dated after
  //     that date included (plan-status/revisions-not-counted.ts).
  version: 25,
  keyOf: (fact: LedgerFact) => fact.planId,
  evolve: evolvePlanStatus,
  // Every 100 events: an answer at a past instant folds at most 99 of the plan's events after its snapshot (docs/projections.md).
  snapshotEvery: 100,
  snapshotPoint: (doc) => ({ revision: doc.revision, recordedAt: doc.lastRecordedAt }),
};

/** The same evolve over any sequence of facts: used for "as of" answers and in tests. */
export const foldPlanStatus = (facts: Iterable<LedgerFact>): PlanDoc | undefined => {
  let doc: PlanDoc | undefined;
  for (const fact of facts) doc = evolvePlanStatus(doc, fact);
  return doc;
};
