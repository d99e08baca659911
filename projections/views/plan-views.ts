import { notFound } from '../../src/domain/errors.ts';
import type { OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { businessCutoff, isKnowledgeEvent, isLive, type Clocks } from '../clocks/clocks.ts';
import type { PlanReader } from '../plan-reader.ts';
import { planChanges } from '../plan-status/changes.ts';
import { planDetail, planSummary } from '../plan-status/plan-view.ts';
import { shownWith } from '../timeline/timeline-states.ts';
import {
  actionTimeline,
  entryCountsFrom,
  orderTimeline,
  timelinePage,
  type TimelineEntry,
  type TimelineOrder,
  type TimelineState,
} from '../timeline/timeline.ts';
import { ReadRequestError } from '../clocks/read-request-error.ts';
import { pageCursor } from './page-cursor.ts';

/**
 * The plan views as the API answers them and `ledger view` writes them: one implementation
 * for both, over the reader, at any pair of clocks. Each answer names the clocks it was read at.
 */
export interface ViewDeps {
  reader: PlanReader;
  directory: OrganisationDirectory;
}

/** Plans and organisations are listed this many at a time unless a page size is asked for. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export const clocksOf = (clocks: Clocks) => ({ asOf: clocks.asOf ?? null, effectiveOn: clocks.effectiveOn ?? null });

/** " as of …, with effect by …": the clocks in a sentence, empty for the live view. */
export const atClocks = (clocks: Clocks) =>
  [clocks.asOf && ` as of ${clocks.asOf}`, clocks.effectiveOn && ` with effect by ${clocks.effectiveOn}`].filter(Boolean).join(',');

const noPlan = (planId: string, clocks: Clocks) =>
  notFound('plan-not-found', isLive(clocks) ? `No plan ${planId}` : `No plan ${planId} was registered${atClocks(clocks)}`);

/**
 * The ledger position an answer at these clocks includes: the one `asOf` resolves to (-1 before the first event), else
 * `livePosition`, where the read models stood when the read began (taken before it, so the answer holds every event up
 * to it; a plan may show a later one, applied while it was read).
 */
export const answeredPosition = async (reader: ViewDeps['reader'], clocks: Clocks, livePosition: bigint): Promise<bigint> =>
  clocks.asOf === undefined ? livePosition : ((await reader.positionAt(clocks.asOf)) ?? -1n);

/** GET /plans: one page of plan summaries, sorted by plan id; `next` is the cursor of the page after (null on the last). */
export const plansPage = async (
  { reader }: ViewDeps,
  clocks: Clocks,
  page: { after?: string | undefined; limit?: number | undefined },
  livePosition: bigint,
) => {
  const today = reader.today(clocks);
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const { plans, next } = await planSummaries(reader, clocks, today, { after: page.after, limit });
  return {
    ...clocksOf(clocks),
    today,
    position: String(await answeredPosition(reader, clocks, livePosition)),
    limit,
    next,
    plans,
  };
};

/** `limit` plans' summaries after `after` in plan-id order, and the plan id the next page starts after (null on the last). */
export const planSummaries = async (
  reader: ViewDeps['reader'],
  clocks: Clocks,
  today: string,
  page: { after?: string | undefined; limit: number },
) => {
  const lines = await reader.planPage(clocks, { after: pageCursor(page.after), limit: page.limit + 1 });
  const shown = lines.slice(0, page.limit);
  return {
    next: lines.length > page.limit ? shown.at(-1)!.lines.planId : null,
    plans: shown.map((l) => planSummary(l.lines, l.stamp, today)),
  };
};

/** GET /plans/:planId at these clocks (the live view is served from its cached JSON by the route). */
export const planView = async ({ reader }: ViewDeps, clocks: Clocks, planId: string) => {
  const doc = await reader.planDoc(planId, clocks);
  if (!doc) throw noPlan(planId, clocks);
  // A retracted plan is in no view of it at these clocks: the caller answers that it was retracted, and why.
  return {
    revision: doc.revision,
    retraction: doc.retraction ?? null,
    body: { ...planDetail(doc, reader.today(clocks)), ...clocksOf(clocks) },
  };
};

/** A plan's timeline at these clocks: its entries, in ledger order, and what corrections put in force. */
const timelineStateOf = async ({ reader }: ViewDeps, clocks: Clocks, planId: string) => {
  const state = await reader.timeline(planId, clocks);
  // Corrections count at every business date, so before the plan was registered there may be entries: still no plan then, as its view says.
  if (!state.entries.some((e) => e.type === 'PlanRegistered')) throw noPlan(planId, clocks);
  return state;
};

/** Entries as the API shows them: organisation names through the directory as it is now (the timelines keep them as recorded). */
const shown = ({ directory }: ViewDeps, entries: TimelineEntry[]) => entries.map(shownWith((name) => directory.canonical(name)));

/** Every entry of a plan's timeline at these clocks, in ledger order. */
export const timelineEntries = async (deps: ViewDeps, clocks: Clocks, planId: string): Promise<TimelineEntry[]> =>
  shown(deps, (await timelineStateOf(deps, clocks, planId)).entries);

export interface TimelineQuery {
  order: TimelineOrder;
  after?: string | undefined;
  limit?: number | undefined;
}

/** The requested page of an ordered timeline, or a refusal when the cursor names no entry of it. */
const pageOf = (entries: TimelineEntry[], query: TimelineQuery, state: Pick<TimelineState, 'corrections' | 'byEvent'>) => {
  const page = timelinePage(orderTimeline(entries, query.order, state), query.after, query.limit);
  if (!page)
    throw new ReadRequestError(
      'unknown-cursor',
      'after',
      `after=${query.after} names no entry of this timeline; pass the next of a previous page`,
    );
  return page;
};

/** GET /plans/:planId/timeline and /actions/:ref/timeline (ref given). */
export const timelineView = async (deps: ViewDeps, clocks: Clocks, planId: string, ref: string | null, query: TimelineQuery) => {
  const state = await timelineStateOf(deps, clocks, planId);
  const all = state.entries;
  const entries = ref === null ? all : actionTimeline(all, ref);
  if (ref !== null && !entries.some((e) => e.type === 'ActionAgreed'))
    throw notFound('action-not-found', `Plan ${planId} has no action ${ref}${atClocks(clocks)}`);
  const page = pageOf(entries, query, state);
  const { order, limit } = query;
  return { planId, ref, order, ...clocksOf(clocks), limit: limit ?? null, entries: shown(deps, page.entries), next: page.next };
};

/**
 * The clocks one side of `changes` reads at, checked as a read of the plan checks them, the
 * refusal naming the parameter that set the clock: on the ledger clock `from` or `to` sets the
 * asOf; on the business clock `to` sets the effectiveOn.
 */
const changesSide = (
  reader: PlanReader,
  clocks: { asOf?: string | undefined; effectiveOn?: string | undefined },
  setBy: { asOf: string } | { effectiveOn: string },
) => {
  try {
    reader.check(clocks);
  } catch (error) {
    if (!(error instanceof ReadRequestError)) throw error;
    if ('asOf' in setBy)
      throw new ReadRequestError(error.code, error.parameter, error.message.replace('the asOf day', `the day of ${setBy.asOf}`));
    throw new ReadRequestError(error.code, setBy.effectiveOn, error.message.replace('effectiveOn', setBy.effectiveOn));
  }
};

/**
 * GET /plans/:planId/changes. On the ledger clock (`recorded`, the default), what the ledger
 * said of the plan at `from` against what it said at `to`, both at the same effectiveOn if one
 * is given, and the entries recorded in between. On the business clock (`effective`), what was
 * true at `from` against what was true at `to`, both as the ledger knew them at `asOf` (now if
 * none), and the entries that took effect in between: corrections count at both, so they are
 * not among them. A plan retracted at `to` gives its retraction instead (the caller answers 410,
 * as for the plan's view); one retracted at `from` was in no view then, and compares as not there.
 */
export type ChangesQuery =
  | { clock: 'recorded'; from: string; to: string; effectiveOn?: string | undefined }
  | { clock: 'effective'; from: string; to: string; asOf?: string | undefined };

/**
 * What `changes` refuses before it reads anything (a ReadRequestError thrown): a window the wrong
 * way round, or a side's clocks a read of the plan refuses. A page that sends a form on to another
 * address asks first, so that a form to put right is shown as it was sent.
 */
export const checkChangesQuery = (reader: PlanReader, query: ChangesQuery): void => {
  // The window first: a window the wrong way round is the mistake to name, not a side's clock.
  if (query.clock === 'recorded' ? query.from > query.to : businessCutoff(query.from) > businessCutoff(query.to)) {
    // On the business clock a month is read at its last day, so a month can be after a day within it: say so.
    const asRead = (end: string) =>
      query.clock === 'effective' && end.length === 7 ? `${end}, read as its last day, ${businessCutoff(end)}` : end;
    throw new ReadRequestError('invalid-window', 'from', `from (${asRead(query.from)}) is after to (${asRead(query.to)})`);
  }
  if (query.clock === 'recorded') {
    // Both sides are read at the effectiveOn: each must be a pair of clocks a read of the plan accepts.
    changesSide(reader, { asOf: query.to, effectiveOn: query.effectiveOn }, { asOf: 'to' });
    changesSide(reader, { asOf: query.from, effectiveOn: query.effectiveOn }, { asOf: 'from' });
  } else {
    // Both ends are read at the asOf: `from` too, which may begin after today (or the asOf day) within the month `to` names.
    changesSide(reader, { asOf: query.asOf, effectiveOn: query.to }, { effectiveOn: 'to' });
    changesSide(reader, { asOf: query.asOf, effectiveOn: query.from }, { effectiveOn: 'from' });
  }
};

export const changesView = async (deps: ViewDeps, planId: string, query: ChangesQuery) => {
  const { reader } = deps;
  checkChangesQuery(reader, query);
  const [before, after] =
    query.clock === 'recorded'
      ? [
          { asOf: query.from, effectiveOn: query.effectiveOn },
          { asOf: query.to, effectiveOn: query.effectiveOn },
        ]
      : [
          { asOf: query.asOf, effectiveOn: query.from },
          { asOf: query.asOf, effectiveOn: query.to },
        ];
  // What the answer is of: the plan, the window, and the other clock it was read at (the retraction's answer names it too).
  const heading = {
    planId,
    clock: query.clock,
    from: query.from,
    to: query.to,
    ...(query.clock === 'recorded' ? { effectiveOn: query.effectiveOn ?? null } : { asOf: query.asOf ?? null }),
  };
  const [then, now] = await Promise.all([reader.planDoc(planId, before), reader.planDoc(planId, after)]);
  // Retracted at `from` (and reinstated since), it was in no view then: it compares as not there yet.
  const was = then && !then.retraction ? then : undefined;
  // Not there at `to` either, there is nothing to compare. There at `from` only (one business date read at two ledger
  // times, and a correction in between moved the registration past it), it compares with the plan gone.
  if (!now && !was) throw noPlan(planId, after);
  // Retracted at `to`, the plan is in no view there: the caller answers that it was retracted, and why.
  if (now?.retraction) return { retraction: now.retraction, heading, body: undefined, timeline: undefined };
  // The entries at `to`. With the plan gone they hold the corrections that took it away (which count at every date), and
  // any other entry recorded in between that counts at the business date without the registration.
  const state = now ? await timelineStateOf(deps, after, planId) : await reader.timeline(planId, after);
  const all = state.entries;
  let entries: TimelineEntry[];
  if (query.clock === 'recorded') {
    // Entries after the position `from` resolves to: exactly those the two views differ by.
    const fromPosition = (await reader.positionAt(query.from)) ?? -1n;
    entries = all.filter((e) => BigInt(e.position) > fromPosition);
  } else {
    const cutoff = businessCutoff(query.from);
    const dayOf = entryCountsFrom(state);
    entries = all.filter((e) => !isKnowledgeEvent(e.type) && dayOf(e) > cutoff);
  }
  const body = {
    ...heading,
    ...planChanges(was && planDetail(was, reader.today(before)), now && planDetail(now, reader.today(after)), shown(deps, entries)),
  };
  // The timeline the entries were taken from, for a page that shows them as its history table does (corrections linked).
  return { retraction: null, heading, body, timeline: state };
};
