import type { OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { completionOf, leadsOf, statusOf } from './action-view.ts';
import { dayInWindow, daysLate, dueDay } from './dates.ts';
import { currentDue, type ActionDoc, type PlanDoc } from './document.ts';

export type DeadlineOutcome = 'met' | 'missed' | 'revised' | 'open' | 'closed';

/** Every deadline an action has had: the original, then each agreed revision. */
const deadlinesOf = (action: ActionDoc) => [action.agreed.due, ...action.revisions.map((r) => r.to)];

/**
 * Classifies an action whose deadline (original, revised or current) fell in the window:
 * - met: its current deadline is in the window and it was completed by then;
 * - missed: its current deadline is in the window and passed without completion, or it was completed late;
 * - revised: a deadline in the window was moved out of it;
 * - open: its current deadline is in the window and has not yet passed;
 * - closed: subsumed or withdrawn.
 */
const outcomeOf = (action: ActionDoc, from: string, to: string, today: string): DeadlineOutcome => {
  const current = currentDue(action);
  const due = dueDay(current);
  if (due === undefined || !dayInWindow(due, from, to)) return 'revised';
  const completion = completionOf(action);
  if (completion) return (daysLate(completion.completedOn, current) ?? 0) > 0 ? 'missed' : 'met';
  const status = statusOf(action);
  if (status === 'subsumed' || status === 'withdrawn') return 'closed';
  return today > due ? 'missed' : 'open';
};

/** GET /reports/deadlines: the evidence a safeguarding lead takes to a board. */
export const deadlineReport = (
  docs: Iterable<PlanDoc>,
  window: { from: string; to: string; organisation?: string | undefined },
  today: string,
  directory: OrganisationDirectory,
) => {
  const wanted = window.organisation === undefined ? undefined : directory.canonical(window.organisation);
  const actions = [];
  for (const doc of docs) {
    for (const action of doc.actions) {
      const leads = leadsOf(action).map((n) => directory.canonical(n));
      if (wanted !== undefined && !leads.includes(wanted)) continue;
      const inWindow = deadlinesOf(action).some((d) => {
        const day = dueDay(d);
        return day !== undefined && dayInWindow(day, window.from, window.to);
      });
      if (!inWindow) continue;
      const completion = completionOf(action);
      actions.push({
        planId: doc.planId,
        planTitle: doc.plan.title,
        ref: action.ref,
        text: action.agreed.text,
        leadOrganisations: leads,
        outcome: outcomeOf(action, window.from, window.to, today),
        status: statusOf(action),
        originalDue: action.agreed.due,
        currentDue: currentDue(action),
        completedOn: completion?.completedOn ?? null,
        revisions: action.revisions.map((r) => ({
          from: r.from,
          to: r.to,
          reason: r.reason,
          agreedBy: r.agreedBy ?? null,
          recordedBy: r.by,
          effectiveOn: r.effectiveOn,
          recordedAt: r.recordedAt,
        })),
      });
    }
  }
  const totals = { met: 0, missed: 0, revised: 0, open: 0, closed: 0 } satisfies Record<DeadlineOutcome, number>;
  for (const a of actions) totals[a.outcome]++;
  return { from: window.from, to: window.to, organisation: wanted ?? null, today, totals, actions };
};
