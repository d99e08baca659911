import { closureOf, inForceWhenAgreed, missHiddenByClosure, type ActionLine } from '../../projections/plan-status/plan-lines.ts';

/**
 * An action's deadline revisions and closure, from its line, weighed as the deadline report weighs them (plan-lines.ts), for the plan
 * and action pages to tag beside them: each revision, in the action's order, agreed after the deadline then in force had
 * passed, or recorded after the one the ledger showed then (`deadlineShown`) had; and the closure in force, when
 * dated after its deadline (`closedAfterDeadline`) or recorded after the deadline the ledger showed had passed where its
 * dates read otherwise (`lateClosure`).
 */
export const deadlineLateness = (line: ActionLine) => {
  const { closedAfterDeadline } = closureOf(line);
  return {
    revisions: inForceWhenAgreed(line.details.revisions, line.deadlines).map(({ revision, afterDeadline }) => ({
      agreedAfterDeadline: afterDeadline,
      recordedAfterDeadline: revision.recordedAfterDeadline,
      // The deadline it was weighed against: its `from` as recorded, whatever a correction of it made it since.
      deadlineShown: revision.deadlineShown,
    })),
    // A subsumption or withdrawal dated after its deadline is tagged so, as the deadline report tags it.
    closedAfterDeadline,
    lateClosure: missHiddenByClosure(line),
  };
};
