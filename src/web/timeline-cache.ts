import { toLedgerFact } from '../../projections/ledger-fact.ts';
import type { PlanReader } from '../../projections/plan-reader.ts';
import type { EventStore } from '../store/port.ts';
import { evolveTimeline, initialTimeline, type TimelineEntry, type TimelineState } from '../../projections/timeline/timeline.ts';
import { planStream } from '../../events/streams.ts';
import { timelineAt } from '../../projections/timeline/timeline-at.ts';
import { isLive, type Clocks } from '../../projections/clocks/clocks.ts';

/**
 * A plan's timeline, folded by the timeline projection's own evolve, kept per plan between
 * page views and brought up to date with only the events recorded since: a long plan's
 * history page then costs a read of its new events, not a fold of all of them. It is a cache
 * of this instance, rebuilt from the ledger whenever it is missing. Organisation names are
 * kept as recorded and normalised when shown (`shownWith`), so an alias added later is
 * honoured at once, as the API's timeline honours it. Views at either clock are folded afresh.
 */
export const createTimelineCache = (reader: Pick<PlanReader, 'planFacts'>, store: Pick<EventStore, 'readStream'>, maxPlans = 20) => {
  const plans = new Map<string, { revision: number; state: TimelineState }>();
  const asRecorded = (name: string) => name;

  return async (planId: string, clocks: Clocks = {}): Promise<TimelineState> => {
    if (!isLive(clocks)) return timelineAt(reader, planId, clocks, asRecorded);
    const cached = plans.get(planId) ?? { revision: -1, state: initialTimeline() };
    // Concurrent views may fold the same new events: the fold skips an event it has already applied.
    for await (const event of store.readStream(planStream(planId), { fromRevision: BigInt(cached.revision + 1) })) {
      const fact = toLedgerFact(event);
      if (!fact) continue;
      evolveTimeline(cached.state, fact, asRecorded);
      cached.revision = Math.max(cached.revision, fact.revision);
    }
    plans.delete(planId);
    if (cached.revision >= 0) plans.set(planId, cached);
    if (plans.size > maxPlans) plans.delete(plans.keys().next().value!);
    return cached.state;
  };
};
export type TimelineCache = ReturnType<typeof createTimelineCache>;

/** An entry as the API's timeline shows it: organisation names normalised through the directory as it is now. */
export const shownWith =
  (canonical: (name: string) => string) =>
  (entry: TimelineEntry): TimelineEntry => ({
    ...entry,
    recordedBy: { ...entry.recordedBy, organisation: canonical(entry.recordedBy.organisation) },
    organisations: [...new Set(entry.organisations.map(canonical))],
  });
