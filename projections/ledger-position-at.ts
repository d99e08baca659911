import type { StoredEvent } from '../events/envelope.ts';
import type { EventStore } from '../src/store/port.ts';

const firstFrom = async (store: EventStore, position: bigint): Promise<StoredEvent | undefined> => {
  for await (const event of store.readAll({ fromPosition: position, limit: 1 })) return event;
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
export const ledgerPositionAt = async (store: EventStore, instant: string): Promise<bigint | undefined> => {
  const head = await store.headPosition();
  if (head === undefined) return undefined;
  const first = await firstFrom(store, 0n);
  if (!first || first.recordedAt > instant) return undefined;
  const last = await firstFrom(store, head);
  if (last && last.recordedAt <= instant) return head;
  // lo holds an event recorded by the instant; the first event at or after hi is recorded after it.
  let lo = first.position;
  let hi = head;
  while (hi - lo > 1n) {
    const mid = lo + (hi - lo) / 2n;
    const event = (await firstFrom(store, mid))!;
    if (event.recordedAt <= instant) lo = event.position;
    else hi = mid;
  }
  // No event lies strictly between lo and hi unless it is at hi itself, which was recorded after the instant.
  return lo;
};
