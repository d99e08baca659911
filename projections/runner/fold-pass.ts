import type { EventStore } from '../../src/store/port.ts';
import { toLedgerFact } from '../ledger-fact.ts';
import { applyFact } from './apply-fact.ts';
import type { Slot } from './flush-slot.ts';
import type { Progress } from './progress.ts';
import type { ReadStore } from './read-store.ts';

/** Progress is reported this often, between the (much rarer) writes. */
const PROGRESS_EVERY = 10_000;

export interface FoldPassOptions {
  store: EventStore;
  readStore: ReadStore;
  /** The runner's slots as they are now (read at each use, as the runner's own loop did). */
  slots: () => Slot[];
  /** Commits what a slot folded up to a position, with its checkpoint (flush-slot.ts). */
  flush: (slot: Slot, position: bigint) => Promise<void>;
  /** Events applied between two writes. */
  chunkEvents: number;
  /** The lowest checkpoint of the slots: where the views stand. */
  position: () => bigint;
  /** Asked after each event: a stopped runner folds no further. */
  stopped: () => boolean;
  onProgress?: ((p: Progress) => void) | undefined;
}

/**
 * One pass of the one-thread catch-up (runner.ts): every event from `from` on, read in ledger
 * order, applied to each slot that has not applied it yet (each skips what it has, so replaying
 * an event changes nothing), written every `chunkEvents` events and at the end, with progress
 * in between. The event at position 0 records which ledger the views are built from.
 */
export const foldPass = async (
  { store, readStore, slots, flush, chunkEvents, position, stopped, onProgress }: FoldPassOptions,
  from: bigint,
): Promise<void> => {
  const head = await store.headPosition();
  const total = head === undefined || head < from ? 0 : Number(head - from + 1n);
  let done = 0;
  let last = from - 1n;
  let sinceFlush = 0;
  for await (const event of store.readAll({ fromPosition: from })) {
    const fact = toLedgerFact(event);
    last = event.position;
    // The views now hold this ledger's first event: say which ledger they are built from.
    if (last === 0n && readStore.builtFrom() === undefined) readStore.recordBuiltFrom(event.hash);
    if (fact) {
      for (const slot of slots()) {
        if (fact.position <= slot.checkpoint) continue;
        const snapshot = applyFact(slot, fact, readStore.loadDocument);
        if (snapshot) slot.snapshots.push(snapshot);
      }
    }
    done++;
    if (++sinceFlush >= chunkEvents) {
      for (const slot of slots()) await flush(slot, last);
      sinceFlush = 0;
      onProgress?.({ done, total, position: last, checkpoint: position() });
    } else if (done % PROGRESS_EVERY === 0) onProgress?.({ done, total, position: last, checkpoint: position() });
    if (stopped()) break;
  }
  for (const slot of slots()) await flush(slot, last);
  onProgress?.({ done, total: Math.max(total, done), position: last, checkpoint: position() });
};
