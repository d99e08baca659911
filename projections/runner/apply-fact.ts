import type { LineHistoryWriter } from '../history/storage/history-writer-port.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import type { AnyProjection } from './projection.ts';
import type { Snapshot } from './read-store.ts';
import { packSnapshot } from './snapshot-codec.ts';

/** A projection's documents being folded: those in memory, and those changed since the last write. */
export interface FoldSlot {
  projection: AnyProjection;
  cache: Map<string, unknown>;
  dirty: Set<string>;
  /** Set for the projection that keeps the history of the plan lines. */
  history?: LineHistoryWriter | undefined;
}

/** Where a document not in memory is read from: the read store, as JSON, or undefined. */
export type ReadDocument = (projection: string, key: string) => string | undefined;

/** A document from memory, or read and kept there (absent ones too, so they are read once). */
const cachedDocument = (slot: FoldSlot, key: string, read: ReadDocument): unknown => {
  if (slot.cache.has(key)) return slot.cache.get(key);
  const json = read(slot.projection.name, key);
  const doc = json === undefined ? undefined : JSON.parse(json);
  slot.cache.set(key, doc);
  return doc;
};

/**
 * One fact into one projection: the document it belongs to is evolved, kept and marked
 * changed. Returns the snapshot to keep when this event is one of the projection's snapshot
 * points. The one-thread runner and the parallel rebuild's workers both fold with this, so
 * they cannot drift apart.
 */
export const applyFact = (slot: FoldSlot, fact: LedgerFact, read: ReadDocument): Snapshot | undefined => {
  const key = slot.projection.keyOf(fact);
  if (key === undefined) return undefined;
  const next = slot.projection.evolve(cachedDocument(slot, key, read), fact);
  slot.history?.record(key, fact, next);
  if (next === undefined) return undefined;
  slot.cache.set(key, next);
  slot.dirty.add(key);
  const every = slot.projection.snapshotEvery;
  if (!every || !slot.projection.snapshotPoint || (fact.revision + 1) % every !== 0) return undefined;
  return { key, ...slot.projection.snapshotPoint(next), doc: packSnapshot(next) };
};
