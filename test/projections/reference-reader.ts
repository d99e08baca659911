import type { Clocks } from '../../projections/clocks/clocks.ts';
import { ReadRequestError } from '../../projections/clocks/read-request-error.ts';
import { firstDayOf, lastDayOf } from '../../events/business-date.ts';
import { londonDay } from '../../src/domain/calendar.ts';
import { toLedgerFact, type LedgerFact } from '../../projections/ledger-fact.ts';
import type { PlanPage, PlanReader } from '../../projections/plan-reader.ts';
import { planLines, type PlanLines } from '../../projections/plan-status/plan-lines.ts';
import { splitViews, type ArgsOf, type SplitViewName } from '../../projections/every-plan/split-views.ts';
import type { OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { foldPlanStatus } from '../../projections/plan-status/projection.ts';
import { planIdOfStream, planStream } from '../../events/streams.ts';
import { countingByDefinition } from './business-clock-definition.ts';
import type { EventStore } from '../../src/store/port.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { comparePlanIds, isAfter, isWithin } from '../../projections/plan-id-order.ts';
import { timelineAt } from '../../projections/timeline/timeline-at.ts';

/**
 * The definition of a view at two clocks, and nothing faster: each plan's facts recorded by
 * `asOf`, those that count at `effectiveOn` (by the definition, business-clock-definition.ts, written apart from select-facts.ts), folded from scratch by the one
 * evolve. The views (projections/views) read it exactly as they read the real reader, so a
 * test can compare every view's answer from both. A timeline at an effectiveOn also reads the
 * facts recorded by `asOf` that do not count (timeline-at.ts); the property test checks it
 * against its own definition besides.
 */
/**
 * The ledger's events as one read of the whole ledger gives them, read again whenever its head has moved. The reference
 * looks at every event for every answer, which is its definition; decoding the same rows from the store again for each
 * of the hundreds of answers a property run compares took half of that test's time.
 */
const wholeLedger = (store: EventStore) => {
  let kept: { head: bigint | undefined; events: StoredEvent[] } | undefined;
  return async (): Promise<StoredEvent[]> => {
    const head = await store.headPosition();
    if (kept === undefined || kept.head !== head) {
      const events: StoredEvent[] = [];
      for await (const event of store.readAll()) events.push(event);
      kept = { head, events };
    }
    return kept.events;
  };
};
type Ledger = ReturnType<typeof wholeLedger>;

/** A plan's facts up to a position, from its whole stream: the reference bounds the read itself, not through the store. */
const planFactsUpTo = async (ledger: Ledger, planId: string, upTo: bigint | undefined): Promise<LedgerFact[]> => {
  const stream = planStream(planId);
  const facts: LedgerFact[] = [];
  for (const event of await ledger()) {
    if (event.stream !== stream) continue;
    const fact = upTo === undefined || event.position <= upTo ? toLedgerFact(event) : undefined;
    if (fact) facts.push(fact);
  }
  return facts;
};

/** The last event recorded at or before the instant, by looking at every event of the ledger rather than searching it. */
const lastRecordedBy = async (ledger: Ledger, instant: string): Promise<bigint | undefined> => {
  let last: bigint | undefined;
  for (const event of await ledger()) if (event.recordedAt <= instant) last = event.position;
  return last;
};

/**
 * "Today" as docs/projections.md defines it, written apart from clocks.ts: overdue and the rest
 * are counted as on the last day of `effectiveOn`, or the `asOf` day, or today, whichever comes first.
 */
const todayByDefinition = (clocks: Clocks, now: Date): string =>
  [
    londonDay(now),
    ...(clocks.asOf === undefined ? [] : [londonDay(clocks.asOf)]),
    ...(clocks.effectiveOn === undefined ? [] : [lastDayOf(clocks.effectiveOn)]),
  ].sort()[0]!;

/** The clocks refused, as docs/projections.md says: nothing is known of a day that had not begun, today or at the `asOf`. */
const checkByDefinition = (clocks: Clocks, now: Date): Clocks => {
  if (clocks.effectiveOn === undefined) return clocks;
  const begins = firstDayOf(clocks.effectiveOn);
  if (begins > londonDay(now)) throw new ReadRequestError('effective-on-in-future', 'effectiveOn', `${clocks.effectiveOn} is after today`);
  if (clocks.asOf !== undefined && begins > londonDay(clocks.asOf))
    throw new ReadRequestError('effective-on-after-as-of', 'effectiveOn', `${clocks.effectiveOn} is after the asOf day`);
  return clocks;
};

export const referenceReader = (store: EventStore, clock: () => Date): PlanReader => {
  const ledger = wholeLedger(store);
  const upToOf = async (asOf: string | undefined) => (asOf === undefined ? undefined : ((await lastRecordedBy(ledger, asOf)) ?? null));
  const recordedFacts = async (planId: string, clocks: Clocks) => {
    const upTo = await upToOf(clocks.asOf);
    return upTo === null ? [] : await planFactsUpTo(ledger, planId, upTo);
  };
  const facts = async (planId: string, clocks: Clocks) => countingByDefinition(await recordedFacts(planId, clocks), clocks.effectiveOn);
  /**
   * The plan's document from the facts that count, naming, at a business date, every deadline revision recorded that
   * does not count: whether an entry was recorded after the deadline the ledger showed had passed is weighed on every
   * entry recorded before it, whatever dates they give.
   */
  const docAt = async (planId: string, clocks: Clocks) => {
    const recorded = await recordedFacts(planId, clocks);
    const counted = countingByDefinition(recorded, clocks.effectiveOn);
    const doc = foldPlanStatus(counted);
    const counts = new Set(counted);
    const notCounted = recorded.flatMap((f) =>
      f.type === 'DeadlineRevised' && !counts.has(f)
        ? [{ ref: f.data.ref, eventId: f.eventId, streamRevision: f.revision, recordedAt: f.recordedAt, to: f.data.to }]
        : [],
    );
    if (doc && notCounted.length > 0) doc.revisionsNotCounted = notCounted;
    return doc;
  };
  const planIds = async () => {
    const ids = new Set<string>();
    for (const event of await ledger()) {
      const planId = planIdOfStream(event.stream);
      if (planId !== undefined) ids.add(planId);
    }
    return [...ids].sort(comparePlanIds);
  };
  const docs = async (clocks: Clocks, page: PlanPage = {}) => {
    const found = [];
    for (const planId of await planIds()) {
      if (!isAfter(planId, page.after)) continue;
      if (!isWithin(planId, page.until)) break;
      const doc = await docAt(planId, clocks);
      if (doc && !doc.retraction) found.push(doc);
      if (page.limit !== undefined && found.length === page.limit) break;
    }
    return found;
  };
  async function* planFacts(planId: string, clocks: Clocks = {}) {
    yield* await facts(planId, clocks);
  }
  const reader = {
    forget: () => undefined,
    forgetAll: () => undefined,
    liveView: () => undefined,
    // The reference folds every plan from scratch and tells no one: nothing of it is a fold one by one.
    onFold: () => () => undefined,
    check: (clocks: Clocks) => checkByDefinition(clocks, clock()),
    today: (clocks: Clocks = {}) => todayByDefinition(clocks, clock()),
    positionAt: (asOf: string) => lastRecordedBy(ledger, asOf),
    planFacts,
    // A timeline by definition: the facts recorded by the asOf folded afresh at every read, names as recorded.
    timeline: (planId: string, clocks: Clocks = {}) => timelineAt({ planFacts }, planId, clocks, (name) => name),
    planDoc: (planId: string, clocks: Clocks = {}) => docAt(planId, clocks),
    planLines: async (clocks: Clocks = {}, page?: PlanPage) => (await docs(clocks, page)).map(planLines),
    planLinesAt: async (planId: string, clocks: Clocks = {}) => {
      const doc = await docAt(planId, clocks);
      return doc && !doc.retraction ? planLines(doc) : undefined;
    },
    // Every view over every plan is its own function over the reference's lines, on one thread.
    everyPlan: async <V extends SplitViewName>(view: V, clocks: Clocks, args: ArgsOf<V>, directory: OrganisationDirectory) =>
      (splitViews[view].run as (plans: Iterable<PlanLines>, args: ArgsOf<V>, directory: OrganisationDirectory) => unknown)(
        (await docs(clocks)).map(planLines),
        args,
        directory,
      ),
    planPage: async (clocks: Clocks, page: PlanPage) =>
      (await docs(clocks, page)).map((doc) => ({
        lines: planLines(doc),
        stamp: { revision: doc.revision, lastRecordedAt: doc.lastRecordedAt },
      })),
  };
  return reader as PlanReader;
};
