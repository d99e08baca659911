import { evolve } from '../domain/plan/evolve.ts';
import { toPlanFact } from '../domain/plan/plan-fact.ts';
import { initialState, type Plan } from '../domain/plan/state.ts';
import type { EventStore } from '../store/port.ts';

/** A plan folded up to a revision of its stream (undefined: the stream has no events). */
export interface FoldedPlan {
  state: Plan;
  revision: bigint | undefined;
}

/**
 * The one fold of a plan stream: from `from` (a plan already folded, changed in place) or
 * from nothing, through the stream's later events, stopping before revision `before` when given.
 */
export const foldPlan = async (
  store: EventStore,
  stream: string,
  { from, before }: { from?: FoldedPlan; before?: bigint } = {},
): Promise<FoldedPlan> => {
  const folded = from ?? { state: initialState(), revision: undefined };
  const fromRevision = folded.revision === undefined ? 0n : folded.revision + 1n;
  for await (const event of store.readStream(stream, { fromRevision })) {
    if (before !== undefined && event.revision >= before) break;
    folded.state = evolve(folded.state, toPlanFact(event));
    folded.revision = event.revision;
  }
  return folded;
};

/**
 * How much the cache holds at most, in events folded into its plans. A plan's state keeps
 * every fact of the plan (corrections reach back to any of them), so what it costs grows with
 * its events, not with the number of plans: the bound is on events. 50,000 events of typical
 * size is some tens of MiB.
 */
export const PLAN_CACHE_EVENTS = 50_000;

/** What an entry holds, in events: its stream up to and including its revision. */
const weightOf = (entry: FoldedPlan) => (entry.revision === undefined ? 0 : Number(entry.revision) + 1);

/**
 * Folded plan states kept between commands, so a command reads only the events appended
 * since the last one instead of the whole stream. A cache that can always be rebuilt: every
 * load tops the entry up from the store, because another process may have appended meanwhile.
 * It holds at most `maxEvents` events, least recently used plans leaving first; a plan larger
 * than that alone is folded afresh for each command rather than kept.
 */
export const createPlanStateCache = (store: EventStore, maxEvents = PLAN_CACHE_EVENTS) => {
  const entries = new Map<string, FoldedPlan>();
  let held = 0;

  const drop = (stream: string) => {
    const entry = entries.get(stream);
    if (!entry) return false;
    held -= weightOf(entry);
    return entries.delete(stream);
  };

  /** The plan as its stream stands now. The entry is the cache's own: whoever changes it must forget it if the change is not written. */
  const load = async (stream: string): Promise<FoldedPlan> => {
    const cached = entries.get(stream);
    if (cached) drop(stream);
    const entry = await foldPlan(store, stream, cached ? { from: cached } : {});
    const weight = weightOf(entry);
    if (weight > maxEvents) return entry;
    // Re-inserted last, so the map's order is least recently used first (another load of it may have put one back meanwhile).
    drop(stream);
    entries.set(stream, entry);
    held += weight;
    for (const oldest of entries.keys()) {
      if (held <= maxEvents) break;
      drop(oldest);
    }
    return entry;
  };

  /** Drops a stream whose cached state can no longer be trusted; the next load folds it afresh. */
  const forget = (stream: string) => drop(stream);

  /** What the cache holds now: plans and events. */
  const size = () => ({ plans: entries.size, events: held });

  return { load, forget, size };
};
export type PlanStateCache = ReturnType<typeof createPlanStateCache>;
