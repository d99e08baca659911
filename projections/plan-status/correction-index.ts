import type { CorrectionItem } from './document.ts';

/**
 * What applying one more correction needs to know of a document's corrections, kept beside the
 * list rather than worked out from all of it for each correction: a plan's fold applies its
 * corrections one after another, and scanning the list each time cost the square of their number
 * (a read of a 5,000-event plan at an early business date applies about 120 corrections).
 *
 * It reads only what a correction recorded (its event id and `recorded.correctedEventId`), which
 * never changes once the item is in the list; items are only ever appended. So the index follows
 * the list by its length, and a copy of the document (a snapshot unpacked, a document read back)
 * is a new list, indexed afresh on its first correction.
 */
interface CorrectionIndex {
  /** How many of the list's items are indexed: always its first ones. */
  indexed: number;
  ids: Set<string>;
  targets: Set<string>;
  /** Whether any indexed correction corrects another (in either order of the two in the list). */
  correctsACorrection: boolean;
  /** By corrected event id (as recorded), the corrections of it in list order. */
  byTarget: Map<string, CorrectionItem[]>;
  /** Each correction's place in the list, by its event id. */
  at: Map<string, number>;
}

const indexes = new WeakMap<readonly CorrectionItem[], CorrectionIndex>();

/** The index of a document's corrections, brought up to the list's length. */
export const correctionIndex = (corrections: readonly CorrectionItem[]): Readonly<CorrectionIndex> => {
  let index = indexes.get(corrections);
  if (!index) {
    index = { indexed: 0, ids: new Set(), targets: new Set(), correctsACorrection: false, byTarget: new Map(), at: new Map() };
    indexes.set(corrections, index);
  }
  for (; index.indexed < corrections.length; index.indexed++) {
    const item = corrections[index.indexed]!;
    const target = item.recorded.correctedEventId;
    if (index.ids.has(target) || index.targets.has(item.eventId) || target === item.eventId) index.correctsACorrection = true;
    index.ids.add(item.eventId);
    index.at.set(item.eventId, index.indexed);
    index.targets.add(target);
    const ofTarget = index.byTarget.get(target);
    if (ofTarget) ofTarget.push(item);
    else index.byTarget.set(target, [item]);
  }
  return index;
};
