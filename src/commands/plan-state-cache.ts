import { evolve } from '../domain/plan/evolve.ts';
import { initialState, type Plan } from '../domain/plan/state.ts';
import type { NewEvent } from '../../events/envelope.ts';
import type { EventStore } from '../store/port.ts';
import { toPlanFact } from './plan-stream.ts';

type Entry = { state: Plan; revision: bigint | undefined };

/**
 * Folded plan states kept between commands, so a command reads only the events
 * appended since the last one instead of the whole stream. Always topped up from
 * the store before use: another process may have appended meanwhile.
 */
export const createPlanStateCache = (store: EventStore, capacity = 1000) => {
  const entries = new Map<string, Entry>();

  const load = async (stream: string): Promise<Entry> => {
    const cached = entries.get(stream);
    const entry: Entry = cached ?? { state: initialState(), revision: undefined };
    const fromRevision = entry.revision === undefined ? 0n : entry.revision + 1n;
    for await (const event of store.readStream(stream, { fromRevision })) {
      entry.state = evolve(entry.state, toPlanFact(event));
      entry.revision = event.revision;
    }
    // Re-insert to keep the map in least-recently-used order.
    entries.delete(stream);
    entries.set(stream, entry);
    if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
    return entry;
  };

  /**
   * Folds events this process has just appended, so the next command need not read them
   * back. Only when they directly follow the cached revision (the append's expected
   * revision guaranteed it); otherwise the next load reads them from the store as usual.
   */
  const record = (stream: string, appended: Array<NewEvent & { revision: bigint }>) => {
    const entry = entries.get(stream);
    const first = appended[0];
    if (!entry || !first) return;
    const expectedFirst = entry.revision === undefined ? 0n : entry.revision + 1n;
    if (first.revision !== expectedFirst) return;
    for (const event of appended) {
      entry.state = evolve(entry.state, toPlanFact(event));
      entry.revision = event.revision;
    }
  };

  /** Drops a stream whose cached state can no longer be trusted (an append failed half-way through our bookkeeping). */
  const forget = (stream: string) => entries.delete(stream);

  return { load, record, forget };
};
export type PlanStateCache = ReturnType<typeof createPlanStateCache>;
