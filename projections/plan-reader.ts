import type { StoredEvent } from '../events/envelope.ts';
import { planStream } from '../events/streams.ts';
import type { EventStore } from '../src/store/port.ts';
import { checkClocks, isLive, todayAt, type Clocks } from './clocks/clocks.ts';
import { foldPlanFromLedger, recordedPlanFacts } from './ledger-fold.ts';
import { plansRecordedBetween, withFolds, type FoldProgress } from './plans-one-by-one.ts';
import { selectByBusinessDate } from './clocks/select-facts.ts';
import { toLedgerFact, type LedgerFact } from './ledger-fact.ts';
import type { PlanDoc } from './plan-status/document.ts';
import { evolvePlanStatus } from './plan-status/evolve.ts';
import { businessDay } from './history/business-days.ts';
import { createHistoryReader } from './history/history-reader.ts';
import type { PlanLines, PlanStamp } from './plan-status/plan-lines.ts';
import { planDetail } from './plan-status/plan-view.ts';
import { createTimelineStates } from './timeline/timeline-states.ts';
import { planStatusProjection } from './plan-status/projection.ts';
import type { ReadStore, Snapshot } from './runner/read-store.ts';
import { unpackSnapshot } from './runner/snapshot-codec.ts';
import { planDocOnBusinessDate } from './business-clock-doc.ts';
import { isAfter, isWithin, planIdBefore } from './plan-id-order.ts';
import type { OrganisationDirectory } from '../src/organisations/organisation-directory.ts';
import { readEveryPlan, SPLIT, type SplitOptions, type SplittableReader } from './every-plan/split-read.ts';
import type { ArgsOf, SplitViewName } from './every-plan/split-views.ts';
import type { ViewPool } from './every-plan/view-pool.ts';
import type { HistoryPoint } from './every-plan/view-protocol.ts';

/** Events read per query when folding forward from a snapshot: its own event and the 99 before the next snapshot. */
const FOLD_PAGE = 100;

/** A plan's events from a revision on, up to a ledger position, a page at a time. */
async function* planEventsFrom(store: EventStore, planId: string, fromRevision: bigint, toPosition: bigint): AsyncGenerator<StoredEvent> {
  for (let from = fromRevision; ; from += BigInt(FOLD_PAGE)) {
    let read = 0;
    for await (const event of store.readStream(planStream(planId), { fromRevision: from, toPosition, limit: FOLD_PAGE })) {
      read++;
      yield event;
    }
    if (read < FOLD_PAGE) return;
  }
}

/** Which plans a cross-plan read wants: those after a plan id (a page's cursor), at most `limit`, none after `until`. */
export interface PlanPage {
  after?: string | undefined;
  limit?: number | undefined;
  until?: string | undefined;
}

/**
 * Where every read gets its plans (docs/projections.md): the live read model, or the same evolve
 * at any pair of clocks — `asOf` (ledger time: only events recorded by then) and `effectiveOn`
 * (business time: only facts that had happened by then, as the ledger knew them at `asOf`). An
 * answer at `asOf` is always a state the ledger really had (EventStore.positionAt).
 *
 * - planFacts: a plan's facts that count at the clocks, in ledger order (a timeline renders those
 *   at `asOf` and marks which count at `effectiveOn`: timeline-at.ts);
 * - planDoc: one plan's document;
 * - planLines: every plan's lines (plan-lines.ts), sorted by plan id, one page at a time if asked;
 * - today: the London day computed statuses use at the clocks.
 */
export const createPlanReader = ({
  store,
  readStore,
  clock,
  viewPool,
  split = SPLIT,
}: {
  store: EventStore;
  readStore: ReadStore;
  clock: () => Date;
  /** Threads that read part of a view over every plan (every-plan/view-pool.ts); none: every read on this thread. */
  viewPool?: ViewPool | undefined;
  /** When a read is split across the pool's threads (tests split small ledgers into small chunks). */
  split?: SplitOptions | undefined;
}) => {
  const name = planStatusProjection.name;
  const positionAt = (asOf: string) => store.positionAt(asOf);
  /** The last position an asOf includes: undefined for "everything", null when nothing was recorded by then. */
  const upToOf = async (asOf: string | undefined): Promise<bigint | undefined | null> =>
    asOf === undefined ? undefined : ((await positionAt(asOf)) ?? null);
  /** A plan's facts that count at these clocks, in ledger order (all of them, live). */
  async function* planFacts(planId: string, clocks: Clocks = {}): AsyncGenerator<LedgerFact> {
    const upTo = await upToOf(clocks.asOf);
    if (upTo === null) return;
    yield* selectByBusinessDate(await recordedPlanFacts(store, planId, upTo), clocks.effectiveOn);
  }

  /**
   * A plan's document folded up to a position, from a snapshot when given one. The snapshot
   * was chosen by its recordedAt; it is used only if its own event lies within the prefix
   * (always, unless recordedAt goes back in ledger order: a SQLite ledger whose clock once
   * stepped back, or KurrentDB's kept stamps). The read stops at the prefix's end, so a
   * snapshot past it reads nothing and undefined is returned: the caller folds from the start.
   */
  const foldPlan = async (planId: string, upTo: bigint, snapshot?: Snapshot): Promise<PlanDoc | undefined> => {
    let doc: PlanDoc | undefined;
    const fromRevision = snapshot ? BigInt(snapshot.revision) : 0n;
    for await (const event of planEventsFrom(store, planId, fromRevision, upTo)) {
      if (snapshot && event.revision === fromRevision) {
        doc = unpackSnapshot(snapshot.doc) as PlanDoc;
        continue;
      }
      const fact = toLedgerFact(event);
      if (fact) doc = evolvePlanStatus(doc, fact);
    }
    return doc;
  };

  /** The document as the ledger stood at an instant: the latest snapshot recorded by then, and the plan's events after it. */
  const planDocAsOf = async (planId: string, asOf: string): Promise<PlanDoc | undefined> => {
    const upTo = await positionAt(asOf);
    if (upTo === undefined) return undefined;
    const snapshot = readStore.latestSnapshot(name, planId, asOf);
    return (snapshot && (await foldPlan(planId, upTo, snapshot))) ?? foldPlan(planId, upTo);
  };

  /**
   * The live plan view as JSON, kept per plan until the runner rewrites that plan's document
   * or London's day changes: a busy plan is read far more often than it is written.
   */
  const views = new Map<string, { today: string; revision: number; body: string; retraction: PlanDoc['retraction'] }>();
  const MAX_VIEWS = 1000;
  const forget = (planIds: string[]) => {
    for (const planId of planIds) views.delete(planId);
    history.forget(planIds);
  };
  /** Everything kept of the live views: another process sharing the read store has written plans this one cannot name. */
  const forgetAll = () => {
    views.clear();
    history.forgetAll();
  };

  /** The live document, read synchronously: nothing can change it between reading and caching its view. */
  const liveDoc = (planId: string): PlanDoc | undefined => {
    const json = readStore.loadDocument(name, planId);
    return json === undefined ? undefined : (JSON.parse(json) as PlanDoc);
  };

  const history = createHistoryReader(readStore.history);
  /** Who is told of plans folded one by one (onFold): a command's progress bar. */
  const foldListeners = new Set<FoldProgress>();
  const foldProgress: FoldProgress = (folded, of) => {
    for (const listener of foldListeners) listener(folded, of);
  };
  /** The position the read models (documents and history) have applied. */
  const applied = () => readStore.checkpoint(name)?.position ?? -1n;

  /**
   * Every plan's lines at the clocks, from the history wherever it answers:
   * - the ledger clock: the ledger-time history;
   * - the business clock: the business-time history, as the ledger knows it now;
   * - both: the business-time history for the plans with nothing recorded after the asOf (what
   *   is known of them now is what was known then).
   * The rest is folded plan by plan (plans-one-by-one.ts): plans whose business lines are being
   * worked out again (a moment, after a correction), at both clocks the plans with events after
   * the asOf, and at an asOf past the read models' position the plans the later events belong to.
   */
  const linesAt = async (clocks: Clocks, page: PlanPage = {}): Promise<Iterable<PlanLines>> => {
    const upTo = await upToOf(clocks.asOf);
    if (upTo === null) return [];
    const limit = page.limit ?? Number.POSITIVE_INFINITY;
    const { effectiveOn } = clocks;
    if (upTo === undefined) {
      if (effectiveOn === undefined) return history.liveLines(page);
      const { plans, toFold } = history.linesAt('business', businessDay(effectiveOn), page);
      return withFolds(plans, toFold, (planId) => foldPlanFromLedger(store, planId, applied(), effectiveOn), limit, foldProgress);
    }
    // Read once: the history at this position stays as it is however far the runner moves on, but
    // not across a reset (a rebuild starting while the later events are read): the walk refuses then.
    const generation = readStore.history.generation();
    const at = applied();
    const unapplied = await plansRecordedBetween(store, at, upTo);
    const later = [...unapplied].filter((planId) => isAfter(planId, page.after) && isWithin(planId, page.until));
    // The history's page counts the plans the later events belong to, which are folded instead: room for them.
    const wider = { after: page.after, until: page.until, limit: limit + later.length };
    if (effectiveOn !== undefined) {
      const { plans, toFold } = history.linesAt('business', businessDay(effectiveOn), wider, { recordedBy: Number(upTo), generation });
      const docOf = (planId: string) => planDocOnBusinessDate({ store, readStore }, planId, effectiveOn, upTo);
      return withFolds(plans, [...toFold, ...later], docOf, limit, foldProgress);
    }
    if (later.length === 0) return history.linesAt('ledger', Number(upTo), page, { generation }).plans;
    const asOf = clocks.asOf!;
    const docOf = (planId: string) => planDocAsOf(planId, asOf);
    return withFolds(history.linesAt('ledger', Number(at), wider, { generation }).plans, later, docOf, limit, foldProgress);
  };

  /**
   * Where the history alone answers every plan at these clocks (every-plan/split-read.ts): the
   * ledger clock up to what the read models applied, or the business clock alone. Undefined
   * for the live lines (kept decoded), both clocks, and an asOf past what the read models applied.
   */
  const historyPoint = async (clocks: Clocks): Promise<HistoryPoint | undefined> => {
    if (isLive(clocks) || (clocks.asOf !== undefined && clocks.effectiveOn !== undefined)) return undefined;
    if (clocks.effectiveOn !== undefined)
      return { clock: 'business', at: businessDay(clocks.effectiveOn), generation: readStore.history.generation() };
    const upTo = await upToOf(clocks.asOf);
    if (upTo === null || upTo === undefined) return undefined;
    // The generation before the position applied, as linesAt reads them: a reset between the two shows as either
    // a position applied that is behind (no split) or a generation the walk refuses.
    const generation = readStore.history.generation();
    // Past what the read models have applied, some plans are folded (linesAt): the read stays on this thread,
    // which reads the events after the read models' position once, not here and again there.
    if (upTo > applied()) return undefined;
    return { clock: 'ledger', at: Number(upTo), generation };
  };
  /** A range of plans at a point from the history alone, or undefined when one must be folded from the ledger. */
  const historyLines = (point: HistoryPoint, range: { after?: string; until?: string }): Iterable<PlanLines> | undefined => {
    const { plans, toFold } = history.linesAt(point.clock, point.at, range, { generation: point.generation });
    return toFold.length > 0 ? undefined : plans;
  };
  const splittable: SplittableReader = {
    planLines: (clocks) => linesAt(clocks),
    historyPoint,
    historyLines,
    planIds: () => history.planIds(),
    readTogether: (read) => readStore.history.readTogether(read),
  };

  /** Where a plan's last counted event stands: read from the ledger at its position. */
  const stampOf = async (lines: PlanLines): Promise<PlanStamp> => {
    for await (const event of store.readAll({ fromPosition: BigInt(lines.position), limit: 1 }))
      return { revision: Number(event.revision), lastRecordedAt: event.recordedAt };
    throw new Error(`no event at position ${lines.position}`);
  };

  return {
    forget,
    forgetAll,
    liveView(planId: string, today: string): { revision: number; body: string; retraction: PlanDoc['retraction'] } | undefined {
      const cached = views.get(planId);
      if (cached && cached.today === today) return cached;
      const doc = liveDoc(planId);
      if (!doc) return undefined;
      const view = {
        today,
        revision: doc.revision,
        body: JSON.stringify({ ...planDetail(doc, today), asOf: null, effectiveOn: null }),
        retraction: doc.retraction ?? null,
      };
      if (views.size >= MAX_VIEWS) views.delete(views.keys().next().value!);
      views.set(planId, view);
      return view;
    },
    /** The clocks, or a ReadRequestError when no answer fits them (an effectiveOn beginning after the asOf day or today). */
    check: (clocks: Clocks): Clocks => checkClocks(clocks, clock()),
    /** "Today" for computed statuses at these clocks (clocks.ts: the effectiveOn's last day, or the ledger clock's day). */
    today: (clocks: Clocks = {}): string => todayAt(clocks, clock()),
    /** The ledger position an instant resolves to: what every "as of" answer includes. */
    positionAt,
    /**
     * Calls the listener after each plan a read folds on its own (where the history does not
     * answer: plans-one-by-one.ts) with how many so far, of how many; returns how to stop.
     */
    onFold(listener: FoldProgress): () => void {
      foldListeners.add(listener);
      return () => void foldListeners.delete(listener);
    },
    planFacts,
    /** A plan's timeline at these clocks, organisation names as recorded: kept between reads (timeline-states.ts). */
    timeline: createTimelineStates(store, positionAt),
    /** One plan's document at these clocks, or undefined when it was not registered (or had not been, then). */
    async planDoc(planId: string, clocks: Clocks = {}): Promise<PlanDoc | undefined> {
      if (isLive(clocks)) return liveDoc(planId);
      if (clocks.effectiveOn === undefined) return planDocAsOf(planId, clocks.asOf!);
      const upTo = await upToOf(clocks.asOf);
      return upTo === null ? undefined : planDocOnBusinessDate({ store, readStore }, planId, clocks.effectiveOn, upTo);
    },
    /**
     * Every plan's lines at these clocks (live without any), in plan id order, one page of them
     * when asked. Walk them as often as needed: from the history they are decoded as they are
     * walked, so a view keeps what it computes, not the lines.
     */
    planLines: (clocks: Clocks = {}, page?: PlanPage): Promise<Iterable<PlanLines>> => linesAt(clocks, page),
    /**
     * A view over every plan at these clocks (every-plan/split-views.ts), its parts read on the
     * view pool's threads where the history alone answers (every-plan/split-read.ts).
     */
    everyPlan: <V extends SplitViewName>(view: V, clocks: Clocks, args: ArgsOf<V>, directory: OrganisationDirectory) =>
      readEveryPlan(splittable, viewPool, split, view, clocks, args, directory),
    /**
     * One plan's lines at these clocks, read as `planLines` reads every plan's (from the history
     * wherever it answers, else folded): undefined where the plan is in no list (not registered
     * there, or retracted). What a page needs of a plan at many clocks, without its document.
     */
    async planLinesAt(planId: string, clocks: Clocks = {}): Promise<PlanLines | undefined> {
      // The plan before it in the history's list: a range of this one plan (one block read). A plan
      // registered since the list was read may come between; it is read too and passed over.
      const page = { after: planIdBefore(history.planIds(), planId), until: planId };
      for (const lines of await linesAt(clocks, page)) if (lines.planId === planId) return lines;
      return undefined;
    },
    /** One page of plans for the plan list: each plan's lines with the revision and time of its last counted event. */
    async planPage(clocks: Clocks, page: PlanPage): Promise<{ lines: PlanLines; stamp: PlanStamp }[]> {
      const lines = [...(await linesAt(clocks, page))];
      return Promise.all(lines.map(async (l) => ({ lines: l, stamp: await stampOf(l) })));
    },
  };
};
export type PlanReader = ReturnType<typeof createPlanReader>;
