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
 * Folded plan states kept between commands, so a command reads only the events appended
 * since the last one instead of the whole stream. A cache that can always be rebuilt: every
 * load tops the entry up from the store, because another process may have appended meanwhile.
 */
export const createPlanStateCache = (store: EventStore, capacity = 1000) => {
  const entries = new Map<string, FoldedPlan>();

  /** The plan as its stream stands now. The entry is the cache's own: whoever changes it must forget it if the change is not written. */
  const load = async (stream: string): Promise<FoldedPlan> => {
    const cached = entries.get(stream);
    const entry = await foldPlan(store, stream, cached ? { from: cached } : {});
    // Re-insert to keep the map in least-recently-used order.
    entries.delete(stream);
    entries.set(stream, entry);
    if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
    return entry;
  };

  /** Drops a stream whose cached state can no longer be trusted; the next load folds it afresh. */
  const forget = (stream: string) => entries.delete(stream);

  return { load, forget };
};
export type PlanStateCache = ReturnType<typeof createPlanStateCache>;
