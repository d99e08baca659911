/** Where an event stands in the ledger and when it was recorded: all a search for an instant reads of it. */
export interface PositionProbe {
  position: bigint;
  recordedAt: string;
}

/** The first event at or after a position (undefined past the head), as cheaply as the backend can read it. */
export type ProbeAt = (position: bigint) => PositionProbe | undefined | Promise<PositionProbe | undefined>;

/**
 * The last ledger position recorded at or before `instant` (an ISO instant as recordedAt is
 * written), or undefined when nothing was, found by a binary search over positions in O(log n)
 * one-event reads. An `asOf` answer is the ledger up to this position: always a prefix, a state the
 * ledger really had.
 *
 * Where recordedAt never decreases in ledger order the backends answer positionAt from an index by
 * ledger time instead, in one search. This search is for a SQLite ledger written before ledger time
 * was kept, whose clock once stepped back (schema.ts, migration 4): there an instant inside a stretch
 * where recordedAt goes down resolves to one of the positions where the stamps pass it, still a
 * prefix, never a mix, and a later instant never to an earlier position (each comparison that goes
 * right for an instant goes right for any later one), where the index's answer could go back.
 */
export const searchPositionAt = async (head: bigint | undefined, instant: string, probe: ProbeAt): Promise<bigint | undefined> => {
  if (head === undefined) return undefined;
  const first = await probe(0n);
  if (!first || first.recordedAt > instant) return undefined;
  const last = await probe(head);
  if (last && last.recordedAt <= instant) return head;
  // lo holds an event recorded by the instant; the first event at or after hi is recorded after it.
  let lo = first.position;
  let hi = head;
  while (hi - lo > 1n) {
    const mid = lo + (hi - lo) / 2n;
    const event = (await probe(mid))!;
    if (event.recordedAt <= instant) lo = event.position;
    else hi = mid;
  }
  // No event lies strictly between lo and hi unless it is at hi itself, which was recorded after the instant.
  return lo;
};

const PROBES_KEPT = 50_000;

/**
 * A probe that keeps what it read. The first event at or after a position never changes once
 * there is one (new events only ever come after the head), so searches for different instants,
 * which pass through the same middles first, read those only once: a page of the ledger file each.
 * A probe that
 * found nothing is not kept: an event may be appended there.
 */
export const keptProbes = (probe: ProbeAt): ProbeAt => {
  const kept = new Map<bigint, PositionProbe>();
  return async (position) => {
    const found = kept.get(position) ?? (await probe(position));
    if (found && !kept.has(position)) {
      if (kept.size >= PROBES_KEPT) kept.clear();
      kept.set(position, found);
    }
    return found;
  };
};
