import {
  EFFECTIVE_ON,
  laidByCorrection,
  resolveCorrectionsWithAmendments,
  type CorrectionRecord,
} from '../../src/domain/correction-overlay.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import { businessCutoff, countsFrom, isKnowledgeEvent } from './clocks.ts';

/** A business date a correction set, and when the ledger was told it (clocks.ts, `countsFrom`). */
export interface DateInForce {
  date: string;
  /** When the correction that set it was recorded or, if corrections of it came later, the latest of them. */
  toldAt: string;
}

/** A recorded correction, with the instant it was recorded. */
export type DatedCorrection = CorrectionRecord & { recordedAt: string };

/**
 * Each event's business date where a correction in force set one, and when the ledger was told
 * it. `inForce` is what the decider's own overlay makes of `corrections` (recording order), so the
 * date is the one the decider and every view read the event at. The date in force is set by the
 * latest correction of the event that sets one, as corrections of it left it; those corrections
 * of it may have changed the date it sets, so it was told at the latest of them.
 */
export const datesSetBy = (
  corrections: readonly DatedCorrection[],
  inForce: ReturnType<typeof resolveCorrectionsWithAmendments>,
): Map<string, DateInForce> => {
  const dates = new Map<string, DateInForce>();
  if (corrections.length === 0) return dates;
  const ids = new Set(corrections.map((c) => c.eventId));
  // Newest first, so each correction's latest amendment is known before it is read.
  const toldAt = new Map<string, string>();
  for (let k = corrections.length - 1; k >= 0; k--) {
    const c = corrections[k]!;
    const at = toldAt.get(c.eventId) ?? c.recordedAt;
    toldAt.set(c.eventId, at);
    const target = inForce.amended.get(c.eventId)?.correctedEventId ?? c.data.correctedEventId;
    if (ids.has(target) && !((toldAt.get(target) ?? '') >= at)) toldAt.set(target, at);
  }
  for (const c of corrections) {
    const data = inForce.amended.get(c.eventId) ?? c.data;
    if (ids.has(data.correctedEventId)) continue; // a correction's own business date is never corrected
    const date = laidByCorrection(data)[EFFECTIVE_ON];
    if (typeof date === 'string') dates.set(data.correctedEventId, { date, toldAt: toldAt.get(c.eventId)! });
  }
  return dates;
};

/** `datesSetBy` over the corrections among one plan's facts (ledger order). */
export const correctedDates = (facts: readonly LedgerFact[]): Map<string, DateInForce> => {
  const corrections = facts.flatMap((f) =>
    f.type === 'EntryCorrected' ? [{ eventId: f.eventId, data: f.data, recordedAt: f.recordedAt }] : [],
  );
  if (corrections.length === 0) return new Map();
  return datesSetBy(corrections, resolveCorrectionsWithAmendments(corrections));
};

/**
 * The facts of one plan that count at an effectiveOn, in ledger order: `facts` are the plan's
 * facts recorded by the `asOf` in question, and each counts when its business date in force
 * (as those facts' corrections set it) had happened by the effectiveOn's last day; corrections
 * count whatever their own date. Folding what this returns with a view's evolve is, by
 * definition, that view at both clocks: the reference every faster path is tested against. The
 * timeline folds every fact recorded by the `asOf` and gives entries for these alone, so a
 * correction names what it corrects where that does not count (timeline/timeline-at.ts).
 */
export const selectByBusinessDate = (facts: readonly LedgerFact[], effectiveOn: string | undefined): LedgerFact[] =>
  effectiveOn === undefined ? [...facts] : facts.filter(countingAt(facts, effectiveOn));

/** Whether each of a plan's facts (those recorded by the `asOf` in question) counts at an effectiveOn, by the rule above. */
export const countingAt = (facts: readonly LedgerFact[], effectiveOn: string | undefined): ((fact: LedgerFact) => boolean) => {
  if (effectiveOn === undefined) return () => true;
  const cutoff = businessCutoff(effectiveOn);
  const set = correctedDates(facts);
  return (fact) => countsBy(fact, set, cutoff);
};

/** One fact's part of the rule above, given its plan's dates set by corrections and the effectiveOn's last day. */
export const countsBy = (fact: LedgerFact, set: ReadonlyMap<string, DateInForce>, cutoff: string): boolean =>
  isKnowledgeEvent(fact.type) || countsFromDayOf(fact, set.get(fact.eventId)) <= cutoff;

/** The day a fact counts from (clocks.ts), given the date a correction set, if one did. */
const countsFromDayOf = (fact: LedgerFact, set: DateInForce | undefined): string =>
  set ? countsFrom(set.date, set.toldAt) : countsFrom(fact.effectiveOn.date, fact.recordedAt);
