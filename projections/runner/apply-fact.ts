import type { LedgerFact } from '../ledger-fact.ts';
import type { AnyProjection } from './projection.ts';
import type { Snapshot } from './read-store.ts';

/** A projection's documents being folded: those in memory, and those changed since the last write. */
export interface FoldSlot {
  projection: AnyProjection;
  cache: Map<string, unknown>;
  dirty: Set<string>;
}

/**
 * One fact into one projection: the document it belongs to is evolved, kept and marked
 * changed. Returns the snapshot to keep when this event is one of the projection's snapshot
 * points. The one-thread runner and the parallel rebuild's workers both fold with this, so
 * they cannot drift apart.
 */
export const applyFact = <S extends FoldSlot>(slot: S, fact: LedgerFact, load: (slot: S, key: string) => unknown): Snapshot | undefined => {
  const key = slot.projection.keyOf(fact);
  if (key === undefined) return undefined;
  const next = slot.projection.evolve(load(slot, key), fact);
  if (next === undefined) return undefined;
  slot.cache.set(key, next);
  slot.dirty.add(key);
  const every = slot.projection.snapshotEvery;
  if (!every || !slot.projection.snapshotPoint || (fact.revision + 1) % every !== 0) return undefined;
  return { key, ...slot.projection.snapshotPoint(next), doc: JSON.stringify(next) };
};
