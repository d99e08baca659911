import type { ActionDoc, PlanDoc } from '../../projections/plan-status/document.ts';
import { actionLine, inForceWhenAgreed } from '../../projections/plan-status/plan-lines.ts';

/**
 * An action's deadline revisions and closure weighed as the deadline report weighs them (plan-lines.ts), for the plan
 * and action pages to tag beside them: each revision, in the action's order, agreed after the deadline then in force had
 * passed, or recorded after the one the ledger showed then (`shownWhenRecorded`) had; and the closure in force, when it
 * was recorded after the deadline the ledger showed had passed.
 */
export const deadlineLateness = (doc: PlanDoc, action: ActionDoc) => {
  const line = actionLine(action, doc);
  return {
    revisions: inForceWhenAgreed(line.details.revisions, line.deadlines).map(({ revision, afterDeadline }) => ({
      agreedAfterDeadline: afterDeadline,
      recordedAfterDeadline: revision.recordedAfterDeadline,
      shownWhenRecorded: revision.from,
    })),
    closureRecordedAfterDeadline: line.closureRecordedAfterDeadline,
  };
};
