import { comparePlanIds } from '../plan-id-order.ts';
import type { FindingsPage, WHOLE_REPORT } from '../plan-status/findings-page.ts';

/**
 * Two parts of one report joined: the first read over the plans up to some plan id, the second
 * over the plans after it, each with the same page (findings-page.ts). The answer is the one a
 * single walk over both would give: the second part's plans are listed only while the page has
 * room, whole plans at a time, and `next` says whether any plan after the page has findings.
 *
 * Each part lists whole plans from the page's start, so the second holds at least the plans a
 * single walk would list after the first's: its lists are cut to them. A listed item names its
 * plan, and a plan's findings are all listed or none, so the items per plan are its findings.
 */
export interface PagedPart {
  limit: number;
  next: string | null;
}

type Item = { planId: string };

/** The lists `keys` name of two parts, and the page's `limit` and `next`, as one walk over both parts' plans would give them. */
export const mergePagedLists = <P extends PagedPart, K extends keyof P & string>(
  first: P,
  second: P,
  keys: readonly K[],
  page: FindingsPage | typeof WHOLE_REPORT,
): Pick<P, K> & PagedPart => {
  const lists = (part: P) => keys.map((key) => part[key] as unknown as Item[]);
  const merged = {} as Record<string, Item[]>;
  if (page === 'whole') {
    let listed = 0;
    keys.forEach((key, i) => {
      merged[key] = [...lists(first)[i]!, ...lists(second)[i]!];
      listed += merged[key].length;
    });
    return { ...(merged as unknown as Pick<P, K>), limit: listed, next: null };
  }
  const firstLists = lists(first);
  const listedFirst = firstLists.reduce((n, list) => n + list.length, 0);
  const secondLists = lists(second);
  if (listedFirst >= page.limit) {
    // The page was full within the first part: the second's plans are only counted.
    const secondHasFindings = secondLists.some((list) => list.length > 0);
    keys.forEach((key, i) => (merged[key] = firstLists[i]!));
    const lastListed = lastPlanOf(firstLists);
    return { ...(merged as unknown as Pick<P, K>), limit: page.limit, next: first.next ?? (secondHasFindings ? lastListed : null) };
  }
  // Room left: the second part's plans join the page whole, in plan-id order, while it has room.
  const perPlan = new Map<string, number>();
  for (const list of secondLists) for (const item of list) perPlan.set(item.planId, (perPlan.get(item.planId) ?? 0) + 1);
  const taken = new Set<string>();
  let listed = listedFirst;
  let lastTaken: string | null = lastPlanOf(firstLists);
  let left = false;
  for (const planId of [...perPlan.keys()].sort(comparePlanIds)) {
    if (listed >= page.limit) {
      left = true;
      break;
    }
    taken.add(planId);
    listed += perPlan.get(planId)!;
    lastTaken = planId;
  }
  keys.forEach((key, i) => (merged[key] = [...firstLists[i]!, ...secondLists[i]!.filter((item) => taken.has(item.planId))]));
  return { ...(merged as unknown as Pick<P, K>), limit: page.limit, next: left ? lastTaken : second.next };
};

/** How many items a part lists in the lists `keys` name. */
export const listedIn = <P, K extends keyof P>(part: P, keys: readonly K[]): number =>
  keys.reduce((n, key) => n + (part[key] as unknown as Item[]).length, 0);

/**
 * The page of a part whose page is full, joined to a later part that was only counted (read with a
 * page of no findings: findings-page.ts lists none then). Nothing of the later part is listed;
 * `next` is the page's last plan when either part has findings after the page.
 */
export const pageBeforeCounted = <P extends PagedPart, K extends keyof P>(
  first: P,
  keys: readonly K[],
  laterFound: boolean,
): PagedPart => ({
  limit: first.limit,
  next: first.next ?? (laterFound ? lastPlanOf(keys.map((key) => first[key] as unknown as Item[])) : null),
});

/** The last plan (in plan-id order) any of the lists names, or null when they are empty. */
const lastPlanOf = (lists: Item[][]): string | null => {
  let last: string | null = null;
  for (const list of lists) {
    const id = list.at(-1)?.planId;
    if (id !== undefined && (last === null || comparePlanIds(id, last) > 0)) last = id;
  }
  return last;
};

/** Adds the second set of figures to a copy of the first, key by key. */
export const addFigures = <T extends Record<string, number>>(first: T, second: T): T => {
  const sum = { ...first };
  for (const key of Object.keys(second) as (keyof T)[]) sum[key] = ((sum[key] ?? 0) + (second[key] ?? 0)) as T[keyof T];
  return sum;
};
