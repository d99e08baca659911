import type { Clocks } from '../../projections/clocks/clocks.ts';
import { plansPage, type ViewDeps } from '../../projections/views/plan-views.ts';

/**
 * Every plan id the plan list gives at the clocks, following `next` from `after` (the start when
 * undefined) a page of `limit` at a time, as a client does. Fails past `maxPages`: a cursor that
 * never ends the list.
 */
export const planIdsPageByPage = async (
  deps: ViewDeps,
  clocks: Clocks,
  limit: number,
  { after, maxPages = 20 }: { after?: string | undefined; maxPages?: number } = {},
): Promise<string[]> => {
  const listed: string[] = [];
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await plansPage(deps, clocks, { after, limit }, 0n);
    listed.push(...page.plans.map((p) => p.planId));
    if (page.next === null) return listed;
    after = page.next;
  }
  throw new Error(`more than ${maxPages} pages at ${JSON.stringify(clocks)}`);
};
