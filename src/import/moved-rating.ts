import { endsBefore } from '../domain/calendar.ts';
import { later } from './dates.ts';
import { ratingKey, type LedgerPlan } from './ledger-plan.ts';
import type { PlanDocument } from './plan-document.ts';

type DocumentUpdate = PlanDocument['updates'][number];

/**
 * Each target's latest rated update in the document: the rating the document gives the target now. Latest by date, as
 * the ledger takes its latest rating (`foldLedgerPlan`), the later in the document of one date: a file may list its
 * updates newest first, and its last in order is then its oldest. An earlier update's rating is the rating it was given
 * then (a quarter's), which a later version does not move. `dateOf` is the date an update is recorded with.
 */
export const lastRatedUpdates = (updates: readonly DocumentUpdate[], dateOf: (update: DocumentUpdate) => string): Set<DocumentUpdate> => {
  const last = new Map<string, DocumentUpdate>();
  for (const update of updates) {
    if (!update.reportedRag?.rating) continue;
    const key = ratingKey(update.target.kind, update.target.ref);
    const before = last.get(key);
    if (!before || later(dateOf(before), dateOf(update)) === dateOf(update)) last.set(key, update);
  }
  return new Set(last.values());
};

/**
 * The rating a held update's document gives that is news of its own, to be recorded on `on` (the document's date):
 * the target's rating now in the document (`lastRatedUpdates`) where it differs from the target's latest in the ledger
 * ("Amber" to "Green" over the same progress text, or back again). Undefined without a rating, for an earlier update,
 * for the ledger's latest, and where the ledger's latest is dated after `on` (the document is an older version).
 */
export const movedRating = (ledger: LedgerPlan, update: DocumentUpdate, lastRated: Set<DocumentUpdate>, on: string): string | undefined => {
  const rating = update.reportedRag?.rating;
  if (!rating || !lastRated.has(update)) return undefined;
  const latest = ledger.ratings.get(ratingKey(update.target.kind, update.target.ref));
  if (latest && (latest.rating.toLowerCase() === rating.toLowerCase() || endsBefore(on, latest.on))) return undefined;
  return rating;
};
