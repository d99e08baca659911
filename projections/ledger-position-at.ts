import type { EventStore } from '../src/store/port.ts';

/** Where an event stands in the ledger and when it was recorded: all a search for an instant reads of it. */
interface Probe {
  position: bigint;
  recordedAt: string;
}

/**
 * The events a search read, by the position asked for. The first event at or after a position
 * never changes once there is one (new events only ever come after the head), so a reader can
 * keep them for its next searches: on a ledger that is not growing, searches for different
 * instants pass through the same middles first, and those are then not read again.
 */
export type ProbeCache = Map<bigint, Probe>;
const PROBES_KEPT = 50_000;

const firstFrom = async (store: EventStore, position: bigint, cache?: ProbeCache): Promise<Probe | undefined> => {
  const kept = cache?.get(position);
  if (kept) return kept;
  for await (const { recordedAt, position: at } of store.readAll({ fromPosition: position, limit: 1 })) {
    if (cache) {
      if (cache.size >= PROBES_KEPT) cache.clear();
      cache.set(position, { position: at, recordedAt });
    }
    return { position: at, recordedAt };
  }
  return undefined;
};

/**
 * The last ledger position recorded at or before `instant` (an ISO instant as recordedAt is
 * written), or undefined when nothing was. An `asOf` answer is the ledger up to this
 * position: always a prefix, a state the ledger really had.
 *
 * recordedAt never decreases in ledger order (src/store/ledger-time.ts), so a binary search
 * over positions finds the end of what was recorded by then, in O(log n) one-row reads; it
 * needs no dense positions, only ordered ones. In a ledger written before that was kept,
 * where the clock once stepped back, an instant inside the stepped-back stretch resolves to
 * one of the positions where ledger time passes it: still a prefix, never a mix.
 */
export const ledgerPositionAt = async (store: EventStore, instant: string, cache?: ProbeCache): Promise<bigint | undefined> => {
  const head = await store.headPosition();
  if (head === undefined) return undefined;
  const first = await firstFrom(store, 0n, cache);
  if (!first || first.recordedAt > instant) return undefined;
  const last = await firstFrom(store, head, cache);
  if (last && last.recordedAt <= instant) return head;
  // lo holds an event recorded by the instant; the first event at or after hi is recorded after it.
  let lo = first.position;
  let hi = head;
  while (hi - lo > 1n) {
    const mid = lo + (hi - lo) / 2n;
    const event = (await firstFrom(store, mid, cache))!;
    if (event.recordedAt <= instant) lo = event.position;
    else hi = mid;
  }
  // No event lies strictly between lo and hi unless it is at hi itself, which was recorded after the instant.
  return lo;
};
