import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import {
  orderTimeline,
  timelinePage,
  type TimelineEntry,
  type TimelineOrder,
  type TimelineState,
} from '../../projections/timeline/timeline.ts';
import { shownWith } from '../../projections/timeline/timeline-states.ts';

const HistoryQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  order: z.enum(['recorded', 'effective']).default('recorded'),
  /** An entry's position: the page holding it, where no cursor is given (a form sends the person back to what it recorded). */
  shown: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
});

export interface HistoryAsked {
  order: TimelineOrder;
  after: string | undefined;
  shown?: string | undefined;
  /** The address asked for a page or an order it cannot read (an `after` or `order` not of this form): the first page is shown. */
  unreadable?: true;
}

/** The page of a history an address asks for: its order and cursor (or the entry it must hold), or the first page in recorded order. */
export const historyAsked = (query: unknown): HistoryAsked => {
  const asked = HistoryQuery.safeParse(query);
  if (!asked.success) return { order: 'recorded', after: undefined, unreadable: true };
  return { order: asked.data.order, after: asked.data.after, shown: asked.data.shown };
};

/**
 * Entries whose one line (summaryOf, projections/timeline/describe.ts) already ends with their reason: a
 * retraction, a reinstatement, an erasure. Their row says the reason there, not again under it.
 */
const REASON_IN_SUMMARY: ReadonlySet<string> = new Set(['PlanRetracted', 'PlanReinstated', 'EvidenceErased']);

/** A history page shows this many entries; the rest are a link away, so a long history never renders at once. */
export const HISTORY_PAGE_SIZE = 50;

/**
 * Where the page before this one starts: after no entry (the first page) or after the entry
 * before it; null on the first page itself.
 */
export const previousPage = (ordered: TimelineEntry[], firstShown: TimelineEntry | undefined): { after: string | null } | null => {
  const start = firstShown ? ordered.indexOf(firstShown) : 0;
  if (start <= 0) return null;
  return { after: start - HISTORY_PAGE_SIZE <= 0 ? null : ordered[start - HISTORY_PAGE_SIZE - 1]!.position };
};

/** The cursor of the page holding the entry at this position, as the history is paged from its start; none for the first page. */
const pageHolding = (ordered: TimelineEntry[], position: string | undefined): string | undefined => {
  const place = position === undefined ? -1 : ordered.findIndex((e) => e.position === position);
  const start = Math.floor(Math.max(place, 0) / HISTORY_PAGE_SIZE) * HISTORY_PAGE_SIZE;
  return start === 0 ? undefined : ordered[start - 1]!.position;
};

/**
 * One page of a history (an action's, or a whole plan's) as the history table shows it: each
 * entry as recorded, the entry a correction corrects, and what corrections since changed of an
 * entry (`nowReads`) with the latest such correction (`correctedIn`), and where each entry a row links to is shown.
 */
export const historyRows = (
  state: TimelineState,
  entries: TimelineEntry[],
  { order, after, shown, unreadable }: HistoryAsked,
  canonical: (name: string) => string,
  /**
   * The same history as the ledger held it at the page's `asOf` (or now) at every business date, in recorded order:
   * what a link "as the ledger stood then" shows, a prefix of it. At an `effectiveOn`, `entries` leave out entries
   * recorded earlier but dated later, which that page holds; without one, the two are the same.
   */
  asRecorded: TimelineEntry[] = entries,
) => {
  const ordered = orderTimeline(entries, order, state);
  // A cursor that names no entry (a stale bookmark, an address typed by hand) shows the first page, saying so, rather than
  // an error: the history is what the person came for.
  const asked = timelinePage(ordered, after ?? pageHolding(ordered, shown), HISTORY_PAGE_SIZE);
  const page = asked ?? timelinePage(ordered, undefined, HISTORY_PAGE_SIZE)!;
  const firstPageInstead = unreadable === true || (asked === undefined && after !== undefined);
  // Read at the instant it was recorded, in the order the ledger learned them, an entry is on the page holding its
  // place in that order (`entries` are in it): the page after the entry that page begins after.
  const recordedIndex = new Map(asRecorded.map((e, i) => [e.eventId, i]));
  const thenAfter = (eventId: string) => {
    const start = Math.floor(recordedIndex.get(eventId)! / HISTORY_PAGE_SIZE) * HISTORY_PAGE_SIZE;
    return start === 0 ? null : asRecorded[start - 1]!.position;
  };
  // Where an entry a row links to is shown: on this page, or on the page holding it as the history is paged from its
  // start (its Next links), or nowhere (undefined) when this history does not hold it (not in effect by the business date).
  const placeInOrder = new Map(ordered.map((x, i) => [x.eventId, i]));
  const onThisPage = new Set(page.entries.map((x) => x.eventId));
  const shownAt = (eventId: string | undefined): { here: true } | { after: string | null } | undefined => {
    if (eventId === undefined) return undefined;
    if (onThisPage.has(eventId)) return { here: true };
    const place = placeInOrder.get(eventId);
    if (place === undefined) return undefined;
    const start = Math.floor(place / HISTORY_PAGE_SIZE) * HISTORY_PAGE_SIZE;
    return { after: start === 0 ? null : ordered[start - 1]!.position };
  };
  const history = page.entries.map(shownWith(canonical)).map((e) => {
    const corrects = e.correctedEventId ? state.byEvent.get(e.correctedEventId)?.entry : undefined;
    // An entry reads as it was recorded; where corrections changed its values since, it says what they read now,
    // and links the latest such correction, on whichever page it is (its date is shown apart, as "since corrected").
    const held = state.byEvent.get(e.eventId);
    const nowReads = held
      ? Object.keys(held.data)
          .filter((field) => !isDeepStrictEqual(held.data[field], held.recorded[field]))
          .map((field) => ({ field, value: held.data[field] }))
      : [];
    const correctedIn = nowReads.length ? entries.filter((x) => x.correctedEventId === e.eventId).at(-1)?.eventId : undefined;
    // At a business date the corrected entry may not count: it is named, with no link to a row that is not there.
    return {
      ...e,
      corrects,
      correctsAt: shownAt(corrects?.eventId),
      nowReads,
      correctedIn,
      correctedInAt: shownAt(correctedIn),
      thenAfter: thenAfter(e.eventId),
      reasonApart: e.reason !== null && !REASON_IN_SUMMARY.has(e.type),
    };
  });
  return {
    history,
    total: entries.length,
    first: page.entries.length ? ordered.indexOf(page.entries[0]!) + 1 : 0,
    next: page.next,
    previous: previousPage(ordered, page.entries[0]),
    order,
    firstPageInstead,
  };
};
