import type { OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { deadlineFigures, DUE_SOON_DAYS, isClosed } from './action-view.ts';
import { addDays, dueDay } from './dates.ts';
import type { PlanLines } from './plan-lines.ts';

export interface ActionLine {
  planId: string;
  ref: string;
  text: string;
  role: 'lead' | 'partner';
  status: string;
  computedStatus: string;
  currentDue: unknown;
  daysOverdue: number | null;
  slippageDays: number | null;
}

const emptyAccount = (name: string) => ({
  organisation: name,
  actionsLed: 0,
  actionsPartnered: 0,
  open: 0,
  overdue: 0,
  dueWithin30Days: 0,
  completedOnTimeAgainstOriginal: 0,
  completedLateAgainstOriginal: 0,
  completedOnTimeAgainstCurrent: 0,
  completedLateAgainstCurrent: 0,
  totalSlippageDays: 0,
  stale: 0,
  recommendationsAwaitingAssurance: 0,
  actions: [] as ActionLine[],
  awaitingAssurance: [] as { planId: string; ref: string; text: string }[],
});
export type OrganisationAccount = ReturnType<typeof emptyAccount>;

/**
 * Accountability per organisation, every name normalised through the alias directory at
 * read time, so adding an alias changes the report without a rebuild. Figures count the
 * actions an organisation leads; partnered actions are listed and counted separately.
 */
export const organisationAccounts = (plans: Iterable<PlanLines>, today: string, directory: OrganisationDirectory) => {
  const accounts = new Map<string, OrganisationAccount>();
  const account = (name: string) => {
    const canonical = directory.canonical(name);
    let found = accounts.get(canonical);
    if (!found) accounts.set(canonical, (found = emptyAccount(canonical)));
    return found;
  };
  const soon = addDays(today, DUE_SOON_DAYS);
  for (const plan of plans) {
    for (const action of plan.actions) {
      const f = deadlineFigures(action, today);
      const line = (role: ActionLine['role']): ActionLine => ({
        planId: plan.planId,
        ref: action.ref,
        text: action.text,
        role,
        status: action.status,
        computedStatus: f.computedStatus,
        currentDue: action.currentDue,
        daysOverdue: f.daysOverdue,
        slippageDays: f.slippageDays,
      });
      const leads = new Set(action.leads.map((n) => directory.canonical(n)));
      for (const name of leads) {
        const a = account(name);
        a.actionsLed++;
        a.actions.push(line('lead'));
        const due = dueDay(action.currentDue);
        if (!isClosed(action)) a.open++;
        if (f.daysOverdue !== null) a.overdue++;
        if (!isClosed(action) && due !== undefined && due >= today && due <= soon) a.dueWithin30Days++;
        if (f.daysLateAgainstOriginal !== null) {
          if (f.daysLateAgainstOriginal > 0) a.completedLateAgainstOriginal++;
          else a.completedOnTimeAgainstOriginal++;
        }
        if (f.daysLateAgainstCurrent !== null) {
          if (f.daysLateAgainstCurrent > 0) a.completedLateAgainstCurrent++;
          else a.completedOnTimeAgainstCurrent++;
        }
        if (f.slippageDays !== null && f.slippageDays > 0) a.totalSlippageDays += f.slippageDays;
        if (f.stale) a.stale++;
      }
      for (const name of new Set(action.partners.map((n) => directory.canonical(n)))) {
        if (leads.has(name)) continue;
        const a = account(name);
        a.actionsPartnered++;
        a.actions.push(line('partner'));
      }
    }
    for (const rec of plan.recommendations) {
      if (rec.judgement === 'assured') continue;
      for (const name of new Set(rec.addressedTo.map((n) => directory.canonical(n)))) {
        const a = account(name);
        a.recommendationsAwaitingAssurance++;
        a.awaitingAssurance.push({ planId: plan.planId, ref: rec.ref, text: rec.text });
      }
    }
  }
  return [...accounts.values()].sort((a, b) => a.organisation.localeCompare(b.organisation));
};

/** The list view: every figure, without the per-action lines. */
export const organisationSummary = ({ actions: _a, awaitingAssurance: _w, ...figures }: OrganisationAccount) => figures;
