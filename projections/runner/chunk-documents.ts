import { applyFact, type FoldSlot, type ReadDocument } from './apply-fact.ts';
import type { Snapshot } from './read-store.ts';
import type { LedgerFact } from '../ledger-fact.ts';

/**
 * The documents a rebuild worker folds in one chunk, with at most `keep` of them in memory as
 * objects per projection: past that, the oldest are set aside as JSON (what the chunk sends
 * anyway) and parsed again if the chunk reaches them again. Nothing is committed until the
 * chunk ends, so a document set aside is read back from here, not from the read store.
 *
 * Holding every document a chunk touched as objects made a worker's memory grow with the
 * number and size of the plans (a plan's document as objects takes about twice its JSON).
 */
export const createChunkDocuments = (slots: FoldSlot[], stored: ReadDocument, keep: number) => {
  /** Per projection: documents changed this chunk and set aside, as JSON. */
  const aside = new Map(slots.map((slot) => [slot.projection.name, new Map<string, string>()]));
  const read: ReadDocument = (projection, key) => {
    const json = aside.get(projection)!.get(key);
    return json ?? stored(projection, key);
  };
  const setAside = (slot: FoldSlot) => {
    const mine = aside.get(slot.projection.name)!;
    for (const key of slot.cache.keys()) {
      if (slot.cache.size <= keep) return;
      if (slot.dirty.delete(key)) mine.set(key, JSON.stringify(slot.cache.get(key)));
      slot.cache.delete(key);
    }
  };
  return {
    apply(slot: FoldSlot, fact: LedgerFact): Snapshot | undefined {
      const snapshot = applyFact(slot, fact, read);
      if (slot.cache.size > keep) setAside(slot);
      return snapshot;
    },
    /** Every document the chunk changed, [projection, key, JSON], and forgets them all: the next chunk starts from the read store. */
    drain(): Array<[string, string, string]> {
      const changed: Array<[string, string, string]> = [];
      for (const slot of slots) {
        const mine = aside.get(slot.projection.name)!;
        for (const key of slot.dirty) mine.set(key, JSON.stringify(slot.cache.get(key)));
        slot.dirty.clear();
        slot.cache.clear();
        for (const [key, json] of mine) changed.push([slot.projection.name, key, json]);
        mine.clear();
      }
      return changed;
    },
  };
};
