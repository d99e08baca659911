import type { OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { deadlineReport } from '../plan-status/deadline-report.ts';
import { discrepancies } from '../plan-status/discrepancies.ts';
import type { FindingsPage, WHOLE_REPORT } from '../plan-status/findings-page.ts';
import { compareNames, FIGURES, organisationAccount, organisationSummaries } from '../plan-status/organisations.ts';
import type { PlanLines } from '../plan-status/plan-lines.ts';
import { planTotals } from '../plan-status/plan-view.ts';
import { addFigures, listedIn, mergePagedLists, pageBeforeCounted, type PagedPart } from './merge-pages.ts';

/**
 * The views over every plan that a read may split across threads (view-pool.ts): each computed
 * over a range of plans in plan-id order by the same function the one-thread read uses, and two
 * ranges' answers merged into the answer over both. `test/projections/split-views.property.unit.test.ts`
 * checks, on random plans and cuts, that merging equals computing over all of them at once.
 *
 * Arguments and answers cross threads, so they are plain data (structured clone).
 */
type Page = FindingsPage | typeof WHOLE_REPORT;

export interface SplitView<A, R> {
  run(plans: Iterable<PlanLines>, args: A, directory: OrganisationDirectory): R;
  /** Two parts' answers, each read with the same args, the first over plans before the second's. */
  merge(first: R, second: R, args: A): R;
  /**
   * A view that lists one page of findings (findings-page.ts): a later part need not list any
   * when the first part's page is full, which it usually is, so it is read only to be counted.
   */
  paged?: {
    /** The args that count a part's findings and list none; undefined when the whole report is listed. */
    countOnly(args: A): A | undefined;
    /** The plan the page lists after (its cursor), if any. */
    cursor(args: A): string | undefined;
    /** Whether the part's page is full: later parts' findings then are only counted. */
    full(answer: R, args: A): boolean;
    /** A part whose page is full, with a later part read by `countOnly` added to its figures. */
    counted(first: R, later: R): R;
  };
}
const splitView = <A, R>(view: SplitView<A, R>) => view;

/** The args with a page of no findings, unless the whole report is listed. */
const countOnly = <A extends { page: Page }>(args: A): A | undefined =>
  args.page === 'whole' ? undefined : { ...args, page: { limit: 0 } };
const pageFull = (listed: number, page: Page) => page !== 'whole' && listed >= page.limit;
const cursor = ({ page }: { page: Page }) => (page === 'whole' ? undefined : page.after);
const sum = (figures: Record<string, number>) => Object.values(figures).reduce((n, f) => n + f, 0);

type Summaries = ReturnType<typeof organisationSummaries>;
type Account = NonNullable<ReturnType<typeof organisationAccount>>;
type Deadlines = ReturnType<typeof deadlineReport>;
type Discrepancies = ReturnType<typeof discrepancies>;
type Window = Parameters<typeof deadlineReport>[1];

const ACCOUNT_LISTS = ['actions', 'awaitingAssurance'] as const;
const DEADLINE_LISTS = ['actions'] as const;
const DISCREPANCY_LISTS = [
  'greenButOverdue',
  'completedWithoutEvidence',
  'recordedLate',
  'revisedMoreThanTwice',
  'revisedAfterDeadline',
  'closedAfterDeadline',
] as const;

/**
 * How the parts of a report join whose `totals` count every plan and whose lists hold one page of
 * findings (the deadline report, the discrepancies): totals add up, lists merge by page.
 */
const totalsAndLists = <R extends PagedPart & { totals: Record<string, number> }>(lists: readonly (keyof R & string)[]) => ({
  merge: (first: R, second: R, { page }: { page: Page }): R => ({
    ...first,
    ...mergePagedLists(first, second, lists, page),
    totals: addFigures(first.totals, second.totals),
  }),
  paged: {
    countOnly,
    cursor,
    full: (answer: R, { page }: { page: Page }) => pageFull(listedIn(answer, lists), page),
    counted: (first: R, later: R): R => ({
      ...first,
      totals: addFigures(first.totals, later.totals),
      ...pageBeforeCounted(first, lists, sum(later.totals) > 0),
    }),
  },
});

/** An organisation's figures of both parts added up, everything else (its name, the page) from the merge. */
const figuresOf = (account: Omit<Account, 'actions' | 'awaitingAssurance' | 'limit' | 'next'>) =>
  Object.fromEntries(FIGURES.map((key) => [key, account[key]])) as Record<(typeof FIGURES)[number], number>;

export const splitViews = {
  /** Every plan's figures added up (plan-view.ts), the home page's heading. */
  planTotals: splitView<{ today: string }, ReturnType<typeof planTotals>>({
    run: (plans, { today }) => planTotals(plans, today),
    merge: addFigures,
  }),
  /** Every organisation's figures (organisations.ts), in name order. */
  organisations: splitView<{ today: string }, Summaries>({
    run: (plans, { today }, directory) => organisationSummaries(plans, today, directory),
    merge(first, second) {
      const byName = new Map(first.map((s) => [s.organisation, s]));
      for (const s of second) {
        const known = byName.get(s.organisation);
        byName.set(s.organisation, known ? { ...known, ...addFigures(figuresOf(known), figuresOf(s)) } : s);
      }
      return [...byName.values()].sort((a, b) => compareNames(a.organisation, b.organisation));
    },
  }),
  /** One organisation's account with a page of the items behind it, or null when no plan of the range names it. */
  account: splitView<{ today: string; name: string; page: Page }, Account | null>({
    run: (plans, { today, name, page }, directory) => organisationAccount(plans, today, directory, name, page) ?? null,
    merge(first, second, { page }) {
      if (!first || !second) return first ?? second;
      return {
        ...first,
        ...addFigures(figuresOf(first), figuresOf(second)),
        ...mergePagedLists(first, second, ACCOUNT_LISTS, page),
      };
    },
    paged: {
      countOnly,
      cursor,
      full: (answer, { page }) => answer !== null && pageFull(listedIn(answer, ACCOUNT_LISTS), page),
      counted(first, later) {
        if (!first || !later) return first;
        // What an account lists: its actions led and partnered, and its recommendations awaiting assurance.
        const found = later.actionsLed + later.actionsPartnered + later.recommendationsAwaitingAssurance;
        return { ...first, ...addFigures(figuresOf(first), figuresOf(later)), ...pageBeforeCounted(first, ACCOUNT_LISTS, found > 0) };
      },
    },
  }),
  /** The deadline report over a window (deadline-report.ts). */
  deadlines: splitView<{ window: Window; today: string; page: Page }, Deadlines>({
    run: (plans, { window, today, page }, directory) => deadlineReport(plans, window, today, directory, page),
    ...totalsAndLists<Deadlines>(DEADLINE_LISTS),
  }),
  /** The discrepancies report (discrepancies.ts). */
  discrepancies: splitView<{ today: string; page: Page }, Discrepancies>({
    run: (plans, { today, page }) => discrepancies(plans, today, page),
    ...totalsAndLists<Discrepancies>(DISCREPANCY_LISTS),
  }),
};

export type SplitViews = typeof splitViews;
export type SplitViewName = keyof SplitViews;
export type ArgsOf<V extends SplitViewName> = Parameters<SplitViews[V]['run']>[1];
export type AnswerOf<V extends SplitViewName> = ReturnType<SplitViews[V]['run']>;
