import type { EventStore } from '../../src/store/port.ts';
import { recordedPlanFacts } from '../ledger-fold.ts';
import type { FoldSlot } from './apply-fact.ts';
import type { ReadStore, Snapshot } from './read-store.ts';

/** A projection as the runner folds it: what it folded in memory, and the checkpoint it stands on. */
export interface Slot extends FoldSlot {
  checkpoint: bigint;
  snapshots: Snapshot[];
}

export interface FlushOptions {
  store: EventStore;
  readStore: ReadStore;
  /** Marked plans whose history is worked out again per write. */
  settlePerWrite: number;
  /** Documents kept in memory between writes; past this the cache is dropped after a write. */
  maxCached: number;
  /** Told the keys of the documents just written. */
  onSaved: (projection: string, keys: string[]) => void;
}

/**
 * Commits what the slot folded up to `position` with its checkpoint, and works out again the
 * business lines of every plan the history marked (history-writer.ts), from the plan's facts
 * up to that position. The marked plans are settled a batch at a time, each batch written
 * before the next is worked out, so memory holds one batch's plans whatever their number.
 * The first batch is committed with the documents (a live write that marks a plan commits
 * its settled lines at once, as one write); later batches are written at the same
 * checkpoint. Until its batch is written a plan stays marked in the store, so readers fold it
 * from the ledger, and a crash between batches leaves it marked for the resumed runner's
 * first flush to settle.
 */
export const flushSlot =
  ({ store, readStore, settlePerWrite, maxCached, onSaved }: FlushOptions) =>
  async (slot: Slot, position: bigint): Promise<void> => {
    const history = slot.history;
    if (position < slot.checkpoint) position = slot.checkpoint;
    const marked = history ? [...new Set([...history.dirty(), ...readStore.history.dirtyPlans()])] : [];
    if (position === slot.checkpoint && marked.length === 0) return;
    let first = true;
    for (let at = 0; first || at < marked.length; at += settlePerWrite) {
      for (const plan of marked.slice(at, at + settlePerWrite)) history!.settle(plan, await recordedPlanFacts(store, plan, position));
      const keys = first ? [...slot.dirty] : [];
      readStore.save(
        slot.projection.name,
        { version: slot.projection.version, position },
        keys.map((k) => [k, slot.cache.get(k)]),
        first ? slot.snapshots : [],
        history?.drain(),
      );
      if (first) {
        slot.snapshots = [];
        if (keys.length > 0) onSaved(slot.projection.name, keys);
        slot.checkpoint = position;
        slot.dirty.clear();
        first = false;
      }
    }
    if (slot.cache.size > maxCached) slot.cache.clear();
  };
