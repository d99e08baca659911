import type { Due } from '../../events/business-date.ts';
import { canonicalNames, type OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { daysLateAfter, dueDayNumber, firstDayNumber } from './dates.ts';
import { findingsPager, inPlanOrder, type FindingsPage, type WHOLE_REPORT } from './findings-page.ts';
import { closureOf, inForceWhenAgreed, type ActionLine, type PlanLines } from './plan-lines.ts';

export type DeadlineOutcome = 'met' | 'missed' | 'revised' | 'open' | 'closed';

/**
 * The revisions as the report lists them, each with the deadline in force when it was agreed
 * (`deadlineInForce`) and whether that deadline had passed (`agreedAfterDeadline`: the revision's
 * business date after its last day; plan-lines.ts). Such a revision turns a deadline that was
 * missed into one revised, or met, so a board reading the report is told so beside it. So does one
 * dated before the deadline but recorded after the deadline the ledger showed then had passed
 * (`recordedAfterDeadline`: the ledger showed it missed until the revision came); a plan imported
 * years later has none, its deadlines never having been on the ledger as they passed.
 */
const withLateness = (action: ActionLine) =>
  inForceWhenAgreed(action.details.revisions, action.deadlines).map(({ revision, deadlineInForce, afterDeadline }) => ({
    ...revision,
    deadlineInForce,
    agreedAfterDeadline: afterDeadline,
  }));

/** The window of days, and today, as day numbers (dates.ts). */
interface Days {
  from: number;
  to: number;
  today: number;
}

/**
 * Classifies an action whose deadline (original, revised or current) fell in the window:
 * - met: its current deadline is in the window and it was completed by then;
 * - missed: its current deadline is in the window and passed without completion, or it was completed late;
 * - revised: a deadline in the window was moved out of it;
 * - open: its current deadline is in the window and has not yet passed;
 * - closed: subsumed or withdrawn (after its deadline had passed or not: `closureOf`, which the row carries).
 * A completion or closure recorded after the deadline the ledger showed had passed is classed by its date, as every
 * other is; the row says so (`closureRecordedAfterDeadline`).
 */
const outcomeOf = (action: ActionLine, days: Days): DeadlineOutcome => {
  const due = dueDayNumber(action.currentDue);
  if (due === undefined || due < days.from || due > days.to) return 'revised';
  if (action.completedOn !== null) return daysLateAfter(action.completedOn, due) > 0 ? 'missed' : 'met';
  const status = action.status;
  if (status === 'subsumed' || status === 'withdrawn') return 'closed';
  return days.today > due ? 'missed' : 'open';
};

/** True when any of the deadlines falls in the window (a loop: tsx makes every closure a call to name it). */
const dueInWindow = (deadlines: Due[], days: Days): boolean => {
  for (const due of deadlines) {
    const day = dueDayNumber(due);
    if (day !== undefined && day >= days.from && day <= days.to) return true;
  }
  return false;
};

/** True when one of an action's leads is the organisation wanted (every action is wanted when none is named). */
const ledBy = (leads: string[], wanted: string | undefined, canonical: (name: string) => string): boolean => {
  if (wanted === undefined) return true;
  for (const name of leads) if (canonical(name) === wanted) return true;
  return false;
};

/**
 * GET /reports/deadlines: the evidence a safeguarding lead takes to a board. The totals count
 * every plan's actions; the list holds one page of them (findings-page.ts), or every one.
 */
export const deadlineReport = (
  plans: Iterable<PlanLines>,
  window: { from: string; to: string; organisation?: string | undefined },
  today: string,
  directory: OrganisationDirectory,
  page: FindingsPage | typeof WHOLE_REPORT,
) => {
  const canonical = canonicalNames(directory);
  const wanted = window.organisation === undefined ? undefined : canonical(window.organisation);
  const pager = findingsPager(page);
  const days: Days = { from: firstDayNumber(window.from), to: firstDayNumber(window.to), today: firstDayNumber(today) };
  const totals = { met: 0, missed: 0, revised: 0, open: 0, closed: 0 } satisfies Record<DeadlineOutcome, number>;
  const actions = [];
  for (const plan of inPlanOrder(plans)) {
    const listing = pager.lists(plan.planId);
    let found = 0;
    for (const action of plan.actions) {
      if (!dueInWindow(action.deadlines, days) || !ledBy(action.leads, wanted, canonical)) continue;
      const outcome = outcomeOf(action, days);
      totals[outcome]++;
      found++;
      if (listing)
        actions.push({
          planId: plan.planId,
          planTitle: plan.title,
          ref: action.ref,
          text: action.text,
          leadOrganisations: action.leads.map(canonical),
          outcome,
          status: action.status,
          originalDue: action.originalDue,
          currentDue: action.currentDue,
          completedOn: action.completedOn,
          ...closureOf(action),
          // Completed, subsumed or withdrawn, recorded after the deadline the ledger showed had passed: met or closed by
          // its date, but the ledger showed the action missed until it came.
          closureRecordedAfterDeadline: action.closureRecordedAfterDeadline,
          revisions: withLateness(action),
        });
    }
    pager.counted(plan.planId, found, listing);
  }
  return { from: window.from, to: window.to, organisation: wanted ?? null, today, totals, ...pager.done(), actions };
};
