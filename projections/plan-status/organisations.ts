import { canonicalNames, type OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { deadlineFiguresOn, DUE_SOON_DAYS, isClosed, type DeadlineFigures } from './action-view.ts';
import { dueDayNumber, firstDayNumber } from './dates.ts';
import { findingsPager, inPlanOrder, WHOLE_REPORT, type FindingsPage } from './findings-page.ts';
import { closureOf, type ActionLine as PlanActionLine, type PlanLines } from './plan-lines.ts';

export interface ActionLine {
  planId: string;
  /** The plan's title, as people know it (its id is for links and clients). */
  planTitle: string;
  ref: string;
  text: string;
  role: 'lead' | 'partner';
  status: string;
  computedStatus: string;
  currentDue: unknown;
  daysOverdue: number | null;
  slippageDays: number | null;
  /** Open with no update for more than 90 days: the actions behind the account's `stale` count (led ones only). */
  stale: boolean;
  /** Completed, subsumed or withdrawn by an entry recorded after the deadline the ledger showed had passed (plan-lines.ts). */
  closureRecordedAfterDeadline: PlanActionLine['closureRecordedAfterDeadline'];
  /** Subsumed or withdrawn on a date after its deadline had passed unmet, as the deadline report's rows say (plan-lines.ts, closureOf). */
  closedAfterDeadline: boolean;
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
  // Of those on time against the deadline in force, the completions recorded after the deadline the ledger showed had
  // passed: on time by their dates, though the ledger showed them missed until they came.
  completedOnTimeRecordedAfterDeadline: 0,
  totalSlippageDays: 0,
  stale: 0,
  recommendationsAwaitingAssurance: 0,
  actions: [] as ActionLine[],
  awaitingAssurance: [] as { planId: string; planTitle: string; ref: string; text: string; judgement: string | null }[],
});
export type OrganisationAccount = ReturnType<typeof emptyAccount>;

/** An action as an organisation's account lists it. */
const listedLine = (plan: PlanLines, action: PlanActionLine, f: DeadlineFigures, role: ActionLine['role']): ActionLine => ({
  planId: plan.planId,
  planTitle: plan.title,
  ref: action.ref,
  text: action.text,
  role,
  status: action.status,
  computedStatus: f.computedStatus,
  currentDue: action.currentDue,
  daysOverdue: f.daysOverdue,
  slippageDays: f.slippageDays,
  stale: f.stale,
  closureRecordedAfterDeadline: action.closureRecordedAfterDeadline,
  closedAfterDeadline: closureOf(action).closedAfterDeadline,
});

/** The canonical names among some names, each once, in the order first named (most actions name one). */
const distinctCanonical = (names: string[], canonical: (name: string) => string): string[] => {
  if (names.length === 1) return [canonical(names[0]!)];
  return [...new Set(names.map(canonical))];
};

type Entry = { account: OrganisationAccount; listed: boolean };

/** What the accounts of one run share: the day's deadline figures and the directory's names. */
interface Counting {
  figuresOf: (action: PlanActionLine) => DeadlineFigures;
  day: number;
  canonical: (name: string) => string;
}
const countingOn = (today: string, directory: OrganisationDirectory): Counting => ({
  figuresOf: deadlineFiguresOn(today),
  day: firstDayNumber(today),
  canonical: canonicalNames(directory),
});

/**
 * Counts one plan's actions and recommendations into the accounts `entry` gives, listing
 * the items of listed accounts when `onPage`; answers how many items it found to list. The
 * loop makes no function per action: the service runs through tsx, whose compiled closures
 * cost a call each time they are made.
 */
const countPlan = (plan: PlanLines, { figuresOf, day, canonical }: Counting, entry: (name: string) => Entry, onPage: boolean): number => {
  let items = 0;
  for (const action of plan.actions) {
    const f = figuresOf(action);
    const closed = isClosed(action);
    const due = dueDayNumber(action.currentDue);
    const dueSoon = !closed && due !== undefined && due >= day && due <= day + DUE_SOON_DAYS;
    const leads = distinctCanonical(action.leads, canonical);
    for (const name of leads) {
      const { account: a, listed: lists } = entry(name);
      a.actionsLed++;
      if (lists) {
        items++;
        if (onPage) a.actions.push(listedLine(plan, action, f, 'lead'));
      }
      if (!closed) a.open++;
      if (f.daysOverdue !== null) a.overdue++;
      if (dueSoon) a.dueWithin30Days++;
      if (f.daysLateAgainstOriginal !== null) {
        if (f.daysLateAgainstOriginal > 0) a.completedLateAgainstOriginal++;
        else a.completedOnTimeAgainstOriginal++;
      }
      if (f.daysLateAgainstCurrent !== null) {
        if (f.daysLateAgainstCurrent > 0) a.completedLateAgainstCurrent++;
        else {
          a.completedOnTimeAgainstCurrent++;
          if (action.closureRecordedAfterDeadline !== null) a.completedOnTimeRecordedAfterDeadline++;
        }
      }
      if (f.slippageDays !== null && f.slippageDays > 0) a.totalSlippageDays += f.slippageDays;
      if (f.stale) a.stale++;
    }
    for (const name of distinctCanonical(action.partners, canonical)) {
      if (leads.includes(name)) continue;
      const { account: a, listed: lists } = entry(name);
      a.actionsPartnered++;
      if (lists) {
        items++;
        if (onPage) a.actions.push(listedLine(plan, action, f, 'partner'));
      }
    }
  }
  for (const rec of plan.recommendations) {
    if (rec.judgement === 'assured') continue;
    for (const name of distinctCanonical(rec.addressedTo, canonical)) {
      const { account: a, listed: lists } = entry(name);
      a.recommendationsAwaitingAssurance++;
      if (lists) {
        items++;
        // Judged, but not assured (partially, or not at all), it still awaits assurance: the judgement says which.
        if (onPage)
          a.awaitingAssurance.push({ planId: plan.planId, planTitle: plan.title, ref: rec.ref, text: rec.text, judgement: rec.judgement });
      }
    }
  }
  return items;
};

/** An organisation's figures without the lists behind them. */
type Summary = Omit<OrganisationAccount, 'actions' | 'awaitingAssurance'>;
export const FIGURES = Object.keys(emptyAccount('')).filter(
  (k) => k !== 'organisation' && k !== 'actions' && k !== 'awaitingAssurance',
) as (keyof Omit<Summary, 'organisation'>)[];
/**
 * An organisation's figures as numbers in FIGURES' order, as kept for each plan and added up over
 * every plan: adding arrays index by index is one loop V8 compiles once, where adding the same
 * figures as properties by a name read from FIGURES looked up a dozen names at each of tens of
 * thousands of plans, and took most of a list of every organisation now.
 */
type Figures = { organisation: string; figures: Float64Array };
const figuresOf = (account: OrganisationAccount): Figures => ({
  organisation: account.organisation,
  figures: Float64Array.from(FIGURES, (key) => account[key]),
});
const summaryOf = ({ organisation, figures }: Figures): Summary => {
  const summary = { organisation } as Summary;
  FIGURES.forEach((key, i) => (summary[key] = figures[i]!));
  return summary;
};

/**
 * One plan's figures per organisation on a day, kept beside the plan's lines for as long as they
 * live. The lines now are kept between reads and replaced when their plan is written
 * (history-reader.ts), so a list of every organisation now adds up a few figures per plan
 * rather than counting every action again: at ten million events, 150,000 of them. The table
 * of names in force is part of the key (a directory that learns aliases makes a new one); lines
 * read at a clock die with their read. Figures only: nothing kept can be listed into.
 */
const planSummaries = new WeakMap<PlanLines, { today: string; directory: OrganisationDirectory; summaries: readonly Figures[] }>();
const summariesOfPlan = (plan: PlanLines, today: string, directory: OrganisationDirectory, counting: Counting): readonly Figures[] => {
  const kept = planSummaries.get(plan);
  if (kept && kept.today === today && kept.directory === directory) return kept.summaries;
  const own = new Map<string, Entry>();
  const entry = (name: string) => {
    let found = own.get(name);
    if (!found) own.set(name, (found = { account: emptyAccount(name), listed: false }));
    return found;
  };
  countPlan(plan, counting, entry, false);
  const summaries = [...own.values()].map((e) => figuresOf(e.account));
  planSummaries.set(plan, { today, directory, summaries });
  return summaries;
};

/**
 * British English order, whatever the locale the process was started in: every instance and the
 * command line must put names in one order, or a page's cursor from one would pass over names on
 * another (Swedish puts "Ärzte Trust" after "Zeta Trust", English before it).
 */
const NAME_ORDER = new Intl.Collator('en-GB');

/**
 * Names in British English order, and two names that order calls equal in code-point order: a total
 * order, so a page's cursor (the last name it shows) never passes over a name it ties with.
 */
export const compareNames = (a: string, b: string): number => NAME_ORDER.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

const inNameOrder = <A extends { organisation: string }>(accounts: Iterable<A>) =>
  [...accounts].sort((a, b) => compareNames(a.organisation, b.organisation));

/**
 * Accountability per organisation, every name normalised through the alias directory at
 * read time, so adding an alias changes the report without a rebuild. Figures count the
 * actions an organisation leads; partnered actions are listed and counted separately.
 * `listed` says whose actions and recommendations are listed behind the figures. `page` says
 * which plans' items are listed (findings-page.ts): the figures always count every plan.
 */
const accountsOf = (
  plans: Iterable<PlanLines>,
  today: string,
  directory: OrganisationDirectory,
  listed: (name: string) => boolean,
  page: FindingsPage | typeof WHOLE_REPORT = WHOLE_REPORT,
) => {
  const counting = countingOn(today, directory);
  const accounts = new Map<string, Entry>();
  const entry = (name: string) => {
    let found = accounts.get(name);
    if (!found) accounts.set(name, (found = { account: emptyAccount(name), listed: listed(name) }));
    return found;
  };
  const pager = findingsPager(page);
  for (const plan of inPlanOrder(plans)) {
    const onPage = pager.lists(plan.planId);
    pager.counted(plan.planId, countPlan(plan, counting, entry, onPage), onPage);
  }
  return { accounts: inNameOrder([...accounts.values()].map((found) => found.account)), paging: pager.done() };
};

/** Every organisation's account, with the actions and recommendations behind each figure. */
export const organisationAccounts = (plans: Iterable<PlanLines>, today: string, directory: OrganisationDirectory) =>
  accountsOf(plans, today, directory, () => true).accounts;

/** The list view: every figure, without the per-action lines. */
export const organisationSummary = ({ actions: _a, awaitingAssurance: _w, ...figures }: OrganisationAccount) => figures;

/**
 * Every organisation's figures, in name order, without building the lines behind them. Lines
 * `kept` between reads (the lines now: history-reader.ts) have each plan's figures kept beside
 * them and added up (`summariesOfPlan`); lines read at a clock, which die with their read, are
 * counted directly, as keeping figures for them only costs.
 */
export const organisationSummaries = (
  plans: Iterable<PlanLines>,
  today: string,
  directory: OrganisationDirectory,
  { kept = false }: { kept?: boolean } = {},
): Summary[] => {
  if (!kept) return accountsOf(plans, today, directory, () => false).accounts.map(organisationSummary);
  // One table of names for the whole read, and the key of the figures kept.
  const table = directory.inForce();
  const counting = countingOn(today, table);
  const totals = new Map<string, Float64Array>();
  for (const plan of plans)
    for (const { organisation, figures } of summariesOfPlan(plan, today, table, counting)) {
      const total = totals.get(organisation);
      if (!total) totals.set(organisation, figures.slice());
      else for (let i = 0; i < figures.length; i++) total[i]! += figures[i]!;
    }
  return inNameOrder([...totals].map(([organisation, figures]) => summaryOf({ organisation, figures })));
};

/**
 * One organisation's account (by its canonical name), or undefined when no plan names it: its
 * figures over every plan, and the actions and recommendations behind them of one page of plans
 * (whole plans in plan-id order, until at least `page.limit` items; findings-page.ts) with the
 * page's `limit` and `next`, or of every plan.
 */
export const organisationAccount = (
  plans: Iterable<PlanLines>,
  today: string,
  directory: OrganisationDirectory,
  name: string,
  page: FindingsPage | typeof WHOLE_REPORT = WHOLE_REPORT,
) => {
  const { accounts, paging } = accountsOf(plans, today, directory, (n) => n === name, page);
  const account = accounts.find((a) => a.organisation === name);
  return account && { ...account, ...paging };
};
