import { ratingKey, type LedgerPlan } from './ledger-plan.ts';
import type { PlanDocument } from './plan-document.ts';

type DocumentUpdate = PlanDocument['updates'][number];

/**
 * The rating a held update's document gives that is news of its own: the rating beside the same progress text moved
 * ("Amber" to "Green"), as of the document's date. Not a rating the held update was itself recorded with (an unchanged
 * file's earlier updates keep their own, older ratings), nor the target's latest; undefined then, or without a rating.
 * `dated` and `any` are the update's keys (`updateKey`), `seen` how many held updates of the same text came before it.
 */
export const movedRating = (
  ledger: LedgerPlan,
  update: DocumentUpdate,
  keys: { dated: string; any: string; seen: number },
): string | undefined => {
  const rating = update.reportedRag?.rating;
  if (!rating) return undefined;
  const same = (other: string | undefined) => other?.toLowerCase() === rating.toLowerCase();
  const recordedWith = ledger.updateKeys.has(keys.dated)
    ? (ledger.updateRatings.get(keys.dated) ?? [])
    : [ledger.updateRatings.get(keys.any)?.[keys.seen]];
  if (recordedWith.some(same) || same(ledger.ratings.get(ratingKey(update.target.kind, update.target.ref)))) return undefined;
  return rating;
};
