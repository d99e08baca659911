import { EFFECTIVE_ON, laidByCorrection, resolveCorrections, type CorrectionRecord } from '../../src/domain/correction-overlay.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import { businessCutoff, countsFrom, isKnowledgeEvent } from './clocks.ts';

/** A business date a correction set, and when the ledger was last told it (clocks.ts, `countsFrom`). */
export interface DateInForce {
  date: string;
  /** When the correction that last changed the entry's date in force to this one was recorded. */
  toldAt: string;
}

/** A recorded correction, with the instant it was recorded. */
export type DatedCorrection = CorrectionRecord & { recordedAt: string };

/**
 * Each event's business date where corrections in force set one (by the decider's own overlay, so
 * the date every view reads the event at), and when the ledger was last told it: the recording of
 * the correction after which the event's date in force became this one. That is the correction
 * setting it or, through a correction of a correction, amending the date set or redirecting it to
 * this event; one that changes only words, or sets the date already in force, tells nothing new.
 * `corrections` in recording order.
 */
export const datesSetBy = (corrections: readonly DatedCorrection[]): Map<string, DateInForce> => {
  const dates = new Map<string, DateInForce>();
  const ids = new Set(corrections.map((c) => c.eventId));
  if (!corrections.some((c) => ids.has(c.data.correctedEventId))) {
    // No correction of a correction: each lays its own date on its own target, the latest word winning.
    for (const c of corrections) {
      const date = laidByCorrection(c.data)[EFFECTIVE_ON];
      if (typeof date === 'string' && dates.get(c.data.correctedEventId)?.date !== date)
        dates.set(c.data.correctedEventId, { date, toldAt: c.recordedAt });
    }
    return dates;
  }
  // A correction of a correction may change what any earlier one lays: the dates in force after each that may change one
  // (one recorded against an entry that is no correction, setting no date, changes none).
  for (let k = 0; k < corrections.length; k++) {
    const c = corrections[k]!;
    if (!ids.has(c.data.correctedEventId) && laidByCorrection(c.data)[EFFECTIVE_ON] === undefined) continue;
    const resolved = resolveCorrections(corrections.slice(0, k + 1));
    for (const eventId of dates.keys()) if (typeof resolved.get(eventId)?.[EFFECTIVE_ON] !== 'string') dates.delete(eventId);
    for (const [eventId, overlay] of resolved) {
      const date = overlay[EFFECTIVE_ON];
      if (typeof date === 'string' && dates.get(eventId)?.date !== date) dates.set(eventId, { date, toldAt: c.recordedAt });
    }
  }
  return dates;
};

/** `datesSetBy` over the corrections among one plan's facts (ledger order). */
export const correctedDates = (facts: readonly LedgerFact[]): Map<string, DateInForce> =>
  datesSetBy(facts.flatMap((f) => (f.type === 'EntryCorrected' ? [{ eventId: f.eventId, data: f.data, recordedAt: f.recordedAt }] : [])));

/** The day an entry recorded with `date` at `recordedAt` counts from (clocks.ts), at the date a correction set if one did. */
export const dayCountedFrom = (date: string, recordedAt: string, set: DateInForce | undefined): string =>
  set ? countsFrom(set.date, set.toldAt) : countsFrom(date, recordedAt);

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
  isKnowledgeEvent(fact.type) || dayCountedFrom(fact.effectiveOn.date, fact.recordedAt, set.get(fact.eventId)) <= cutoff;
