import { z } from 'zod';
import { isAfter } from '../../../projections/plan-id-order.ts';
import { DEFAULT_PAGE_SIZE } from '../../../projections/views/plan-views.ts';
import { couldBeRecordedName } from '../../domain/plan/texts.ts';
import { PageQuery } from '../../http/routes/plan-read-routes.ts';

/**
 * A page of a report's findings in the browser, as the API pages them (projections/plan-status/findings-page.ts): whole
 * plans in plan-id order after `after`, until at least `limit` findings (1 to 1000, 100 by default). The figures
 * still count every plan. Unpaged, an organisation's account or the discrepancies ran to megabytes of HTML.
 */
export interface WebFindingsPage {
  after: string | undefined;
  limit: number;
  /** The first page, keeping a `limit` the address gave. */
  firstHref: string;
  /**
   * What the page's date form and its way back to today keep besides the clocks: the fields kept (a report's period and
   * organisation) and a `limit` the address gave, not `after` (another date's first page is read from the first plan).
   */
  keepQuery: Record<string, string>;
  /** The page after the one whose `next` is given; undefined on the last. */
  nextHref: (next: string | null) => string | undefined;
}

/** The API's own `limit` and `after`, so a page refuses what the API refuses (an `after` no plan id holds too). */
const PageFields = z.object(PageQuery).refine(({ after }) => after === undefined || couldBeRecordedName(after));

/**
 * The page an address asks for at `path`, or undefined where its `after` or `limit` names none the API would take.
 * `keep` is the rest of the address a page's links carry (a report's period and organisation).
 */
export const findingsPageQuery = (
  path: string,
  query: { after?: unknown; limit?: unknown },
  keep: Record<string, string> = {},
): WebFindingsPage | undefined => {
  const read = PageFields.safeParse({ after: query.after, limit: query.limit });
  if (!read.success) return undefined;
  const { after, limit } = read.data;
  const limited: Record<string, string> = limit === undefined ? {} : { limit: String(limit) };
  const href = (params: Record<string, string>) => {
    const search = new URLSearchParams(params).toString();
    return search ? `${path}?${search}` : path;
  };
  return {
    after,
    limit: limit ?? DEFAULT_PAGE_SIZE,
    firstHref: href({ ...keep, ...limited }),
    keepQuery: { ...keep, ...limited },
    nextHref: (next) => (next === null ? undefined : href({ ...keep, after: next, ...limited })),
  };
};

/**
 * The plans of a list in plan-id order (as the read models give them) that one page shows, `limit` of them after
 * `after`, the plan id the next page starts after (null on the last), as GET /plans pages them, and how many plans the
 * list holds (a page past the last plan is not a ledger with none).
 */
export const pageOfPlans = <T extends { planId: string }>(plans: Iterable<T>, page: WebFindingsPage) => {
  const every = [...plans];
  const after = every.filter((plan) => isAfter(plan.planId, page.after));
  const shown = after.slice(0, page.limit);
  return { shown, next: after.length > page.limit ? shown.at(-1)!.planId : null, total: every.length };
};

/** The words of the page refused for an address naming no page; `after` says what a page's cursor names. */
export const noSuchPage = (what: string, after = 'a plan id') => ({
  pageTitle: 'No such page',
  problem: {
    title: 'No such page',
    detail: `The address names no page of ${what} (after: ${after}; limit: 1 to 1000). Go to the first page and follow Next from there.`,
  },
});
