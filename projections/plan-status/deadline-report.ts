import type { OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { dayInWindow, daysLate, dueDay } from './dates.ts';
import type { ActionLine, PlanLines } from './plan-lines.ts';

export type DeadlineOutcome = 'met' | 'missed' | 'revised' | 'open' | 'closed';

/**
 * Classifies an action whose deadline (original, revised or current) fell in the window:
 * - met: its current deadline is in the window and it was completed by then;
 * - missed: its current deadline is in the window and passed without completion, or it was completed late;
 * - revised: a deadline in the window was moved out of it;
 * - open: its current deadline is in the window and has not yet passed;
 * - closed: subsumed or withdrawn.
 */
const outcomeOf = (action: ActionLine, from: string, to: string, today: string): DeadlineOutcome => {
  const current = action.currentDue;
  const due = dueDay(current);
  if (due === undefined || !dayInWindow(due, from, to)) return 'revised';
  if (action.completedOn !== null) return (daysLate(action.completedOn, current) ?? 0) > 0 ? 'missed' : 'met';
  const status = action.status;
  if (status === 'subsumed' || status === 'withdrawn') return 'closed';
  return today > due ? 'missed' : 'open';
};

/** GET /reports/deadlines: the evidence a safeguarding lead takes to a board. */
export const deadlineReport = (
  plans: Iterable<PlanLines>,
  window: { from: string; to: string; organisation?: string | undefined },
  today: string,
  directory: OrganisationDirectory,
) => {
  const wanted = window.organisation === undefined ? undefined : directory.canonical(window.organisation);
  const actions = [];
  for (const plan of plans) {
    for (const action of plan.actions) {
      const leads = action.leads.map((n) => directory.canonical(n));
      if (wanted !== undefined && !leads.includes(wanted)) continue;
      const inWindow = action.deadlines.some((d) => {
        const day = dueDay(d);
        return day !== undefined && dayInWindow(day, window.from, window.to);
      });
      if (!inWindow) continue;
      actions.push({
        planId: plan.planId,
        planTitle: plan.title,
        ref: action.ref,
        text: action.text,
        leadOrganisations: leads,
        outcome: outcomeOf(action, window.from, window.to, today),
        status: action.status,
        originalDue: action.originalDue,
        currentDue: action.currentDue,
        completedOn: action.completedOn,
        revisions: action.revisions,
      });
    }
  }
  const totals = { met: 0, missed: 0, revised: 0, open: 0, closed: 0 } satisfies Record<DeadlineOutcome, number>;
  for (const a of actions) totals[a.outcome]++;
  return { from: window.from, to: window.to, organisation: wanted ?? null, today, totals, actions };
};
