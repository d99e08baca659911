import { comparePlanIds, isAfter } from '../plan-id-order.ts';

/**
 * Paging a report's findings by plan. A report (deadlines, discrepancies) lists findings of
 * whole plans in plan-id order: the plans after `after`, until at least `limit` findings have
 * been listed or the plans run out. `next` is the last plan the page covers, for the next
 * page's `after`; null when no plan after it has a finding. Every plan is still counted for
 * the report's totals, so a board's figures never depend on the page asked for; only the
 * plans on the page are listed, which is what keeps a page fast and small.
 */
export interface FindingsPage {
  after?: string | undefined;
  limit: number;
}

/** The whole report: every finding of every plan, on one page. */
export const WHOLE_REPORT = 'whole' as const;

export const findingsPager = (page: FindingsPage | typeof WHOLE_REPORT) => {
  const whole = page === WHOLE_REPORT;
  const after = whole ? undefined : page.after;
  const limit = whole ? Number.POSITIVE_INFINITY : page.limit;
  let listed = 0;
  let lastListed: string | null = null;
  let more = false;
  return {
    /** Whether this plan's findings go on the page (ask before listing them, in plan-id order). */
    lists: (planId: string) => listed < limit && isAfter(planId, after),
    /** Records how many findings a plan had, after its findings were listed or only counted. */
    counted(planId: string, findings: number, wasListed: boolean) {
      if (findings === 0) return;
      if (wasListed) {
        listed += findings;
        lastListed = planId;
      } else if (isAfter(planId, after)) more = true; // after a full page: a next page has findings
    },
    /** The page's size and cursor: the findings it lists when the whole report was asked for. */
    done: () => ({ limit: whole ? listed : limit, next: more ? lastListed : null }),
  };
};

/**
 * The plans in plan-id order, as the pages need them. The reader gives them so, and a run it
 * decodes as it is walked is walked so, never held whole (history-reader.ts); an array from
 * elsewhere is sorted here when it is not in order.
 */
export function* inPlanOrder<P extends { planId: string }>(plans: Iterable<P>): Generator<P> {
  if (Array.isArray(plans)) {
    const list = plans as P[];
    for (let i = 1; i < list.length; i++)
      if (comparePlanIds(list[i - 1]!.planId, list[i]!.planId) > 0) {
        yield* [...list].sort((a, b) => comparePlanIds(a.planId, b.planId));
        return;
      }
    yield* list;
    return;
  }
  let last: string | undefined;
  for (const plan of plans) {
    if (last !== undefined && comparePlanIds(plan.planId, last) <= 0)
      throw new Error(`plans out of plan-id order: ${plan.planId} after ${last}`);
    last = plan.planId;
    yield plan;
  }
}
