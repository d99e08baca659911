/**
 * Plan ids in the order the read store keeps them: SQLite compares text by its bytes in UTF-8,
 * which is code point order. JavaScript's `<` and `sort()` compare UTF-16 units instead, and the
 * two differ where a character above U+FFFF (an emoji) meets one from U+E000 to U+FFFF (a
 * fullwidth letter). A plan id may be any text, and the lists and reports walk the history in the
 * store's order, merge in the plans folded one by one and cut pages at a plan id: one order
 * everywhere, or a page passes over a plan or a report refuses plans out of order.
 */
export const comparePlanIds = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate stands for a code point above U+FFFF: after every unit that is not one.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
};

/** Whether a plan id comes after a page's cursor (every plan does when there is none). */
export const isAfter = (planId: string, after: string | undefined): boolean => after === undefined || comparePlanIds(planId, after) > 0;

/** Whether a plan id is within a page's last plan (every plan is when there is none). */
export const isWithin = (planId: string, until: string | undefined): boolean => until === undefined || comparePlanIds(planId, until) <= 0;

/** The last plan id before `planId` in a list sorted in this order, or undefined when none is: a cursor just before it. */
export const planIdBefore = (sorted: readonly string[], planId: string): string | undefined => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comparePlanIds(sorted[mid]!, planId) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
};
