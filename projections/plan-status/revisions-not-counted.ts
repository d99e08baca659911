import type { LedgerFact } from '../ledger-fact.ts';
import type { PlanDoc, RevisionNotCounted } from './document.ts';

/**
 * A document at a business date holds only the facts that count then; whether one of an action's revisions or its
 * closure was recorded after the deadline the ledger showed had passed is weighed on every revision of it recorded
 * before, one dated after that business date included (deadline-shown.ts). These name, for a document, the revisions it
 * leaves out that are so weighed: those recorded before a revision or closure of the same action that it holds.
 */

/** The entries weighed against the deadline the ledger showed when they were recorded. */
const WEIGHED = new Set(['DeadlineRevised', 'ActionCompleted', 'ActionSubsumed', 'ActionWithdrawn']);

/** An action's revision or closure, by its ref: what a revision left out is weighed for; undefined for any other fact. */
export const weighedEntryRef = (fact: LedgerFact): string | undefined =>
  WEIGHED.has(fact.type) ? (fact.data as { ref: string }).ref : undefined;

/** A deadline revision as a document at a business date names one it leaves out. */
export const revisionNotCounted = (fact: LedgerFact): RevisionNotCounted | undefined =>
  fact.type === 'DeadlineRevised'
    ? { ref: fact.data.ref, eventId: fact.eventId, streamRevision: fact.revision, recordedAt: fact.recordedAt, to: fact.data.to }
    : undefined;

/**
 * Of the deadline revisions that do not count, by action and stream revision (`left`), those recorded before the last
 * revision or closure of the same action that counts (`latestWeighed`, by action).
 */
export const leftOutBeforeWeighed = <T extends { ref: string; revision: number }>(
  left: readonly T[],
  latestWeighed: ReadonlyMap<string, number>,
): T[] => left.filter((r) => r.revision < (latestWeighed.get(r.ref) ?? -1));

/** The deadline revisions among `recorded` (a plan's facts in ledger order) that a document of those that `counts` leaves out. */
export const revisionsNotCountedAmong = (recorded: readonly LedgerFact[], counts: (fact: LedgerFact) => boolean): RevisionNotCounted[] => {
  const latestWeighed = new Map<string, number>();
  const left: { ref: string; revision: number; fact: LedgerFact }[] = [];
  for (const fact of recorded) {
    const ref = weighedEntryRef(fact);
    if (ref === undefined) continue;
    if (counts(fact)) latestWeighed.set(ref, fact.revision);
    else if (fact.type === 'DeadlineRevised') left.push({ ref, revision: fact.revision, fact });
  }
  return leftOutBeforeWeighed(left, latestWeighed).map((r) => revisionNotCounted(r.fact)!);
};

/** The document, naming the revisions it leaves out where there are any (it is the caller's own: set in place). */
export const withRevisionsNotCounted = (doc: PlanDoc | undefined, notCounted: RevisionNotCounted[]): PlanDoc | undefined => {
  if (doc && notCounted.length > 0) doc.revisionsNotCounted = notCounted;
  return doc;
};
