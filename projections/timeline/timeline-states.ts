import { planStream } from '../../events/streams.ts';
import type { EventStore } from '../../src/store/port.ts';
import { isLive, type Clocks } from '../clocks/clocks.ts';
import { toLedgerFact } from '../ledger-fact.ts';
import { timelineAt, type PlanFactsReader } from './timeline-at.ts';
import { evolveTimeline, initialTimeline, type TimelineEntry, type TimelineState } from './timeline.ts';

/** How many plans' timelines are kept: each of the present, and each at one pair of clocks. */
export interface TimelineStateLimits {
  now: number;
  atClocks: number;
}

/**
 * Plans' timelines, kept in this process between reads, so that a client or a person paging
 * through a long plan's history reads its events once rather than once a page: reading and
 * folding a plan of 5,000 events took 50–120 ms in process, and every page paid it again
 * (projections.md, after the timelines' paging). A cache, rebuilt from the ledger whenever it
 * is missing; other instances keep their own. Names are kept as recorded and normalised when
 * shown (`shownWith`), so an alias added later is honoured at once.
 *
 * - **The present** is folded by the timeline's own evolve and brought up to date with only the
 *   events recorded since, read from the ledger at each read, so it is never behind the ledger.
 * - **At an `asOf`** the timeline is folded from the events up to the position the instant
 *   resolves to, which the ledger never changes: kept by plan, position and `effectiveOn`.
 * - **At an `effectiveOn` alone** it is folded up to the plan's last revision, and kept by plan,
 *   that revision and the date: an event recorded since is a new revision, never answered stale.
 */
export const createTimelineStates = (
  store: Pick<EventStore, 'readStream' | 'streamRevision'>,
  positionAt: (asOf: string) => Promise<bigint | undefined>,
  limits: TimelineStateLimits = { now: 20, atClocks: 10 },
) => {
  const now = new Map<string, { revision: number; state: TimelineState }>();
  const atClocks = new Map<string, TimelineState>();
  const asRecorded = (name: string) => name;
  /** Kept as the most recently used: a Map iterates in insertion order, so the first is the one to drop. */
  const keep = <V>(map: Map<string, V>, key: string, value: V, limit: number) => {
    map.delete(key);
    map.set(key, value);
    if (map.size > limit) map.delete(map.keys().next().value!);
  };

  const present = async (planId: string): Promise<TimelineState> => {
    const cached = now.get(planId) ?? { revision: -1, state: initialTimeline() };
    // Concurrent reads may fold the same new events: the fold skips an event it has already applied.
    for await (const event of store.readStream(planStream(planId), { fromRevision: BigInt(cached.revision + 1) })) {
      const fact = toLedgerFact(event);
      if (!fact) continue;
      evolveTimeline(cached.state, fact, asRecorded);
      cached.revision = Math.max(cached.revision, fact.revision);
    }
    if (cached.revision >= 0) keep(now, planId, cached, limits.now);
    return cached.state;
  };

  /** The plan's facts up to the point a kept timeline is kept by, and no further (timeline-at.ts reads them); none before its first. */
  const factsTo = (point: { toPosition: bigint } | { limit: number }): PlanFactsReader => ({
    async *planFacts(planId: string) {
      if ('toPosition' in point ? point.toPosition < 0n : point.limit <= 0) return;
      for await (const event of store.readStream(planStream(planId), point)) {
        const fact = toLedgerFact(event);
        if (fact) yield fact;
      }
    },
  });

  /** A plan's timeline at these clocks, with organisation names as recorded. */
  return async (planId: string, clocks: Clocks = {}): Promise<TimelineState> => {
    if (isLive(clocks)) return present(planId);
    // The clock is resolved once, for the key and the fold alike: the fold reads exactly the events its key names, so
    // a write committed meanwhile is in neither (resolved again, an instant past the head could take it in).
    const upTo = clocks.asOf === undefined ? undefined : ((await positionAt(clocks.asOf)) ?? -1n);
    const revision = upTo === undefined ? Number((await store.streamRevision(planStream(planId))) ?? -1n) : undefined;
    const key = `${planId}\n${upTo === undefined ? `revision ${revision}` : `position ${upTo}`}\n${clocks.effectiveOn ?? ''}`;
    const state =
      atClocks.get(key) ??
      (await timelineAt(factsTo(upTo === undefined ? { limit: revision! + 1 } : { toPosition: upTo }), planId, clocks, asRecorded));
    keep(atClocks, key, state, limits.atClocks);
    return state;
  };
};
export type TimelineStates = ReturnType<typeof createTimelineStates>;

/** An entry as the API's timeline shows it: organisation names normalised through the directory as it is now. */
export const shownWith =
  (canonical: (name: string) => string) =>
  (entry: TimelineEntry): TimelineEntry => ({
    ...entry,
    recordedBy: { ...entry.recordedBy, organisation: canonical(entry.recordedBy.organisation) },
    organisations: [...new Set(entry.organisations.map(canonical))],
  });
