import { EFFECTIVE_ON, resolveCorrections } from '../../src/domain/correction-overlay.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import { businessCutoff, countsFrom, isKnowledgeEvent } from './clocks.ts';

/**
 * Each event's business date where a correction has moved it, worked out with the decider's
 * own overlay from the corrections among `facts` (so it is the date the decider and every view
 * read the event at, given those corrections).
 */
export const correctedDates = (facts: readonly LedgerFact[]): Map<string, string> => {
  const corrections = facts.flatMap((f) => (f.type === 'EntryCorrected' ? [{ eventId: f.eventId, data: f.data }] : []));
  const moved = new Map<string, string>();
  if (corrections.length === 0) return moved;
  for (const [eventId, overlay] of resolveCorrections(corrections)) {
    const date = overlay[EFFECTIVE_ON];
    if (typeof date === 'string') moved.set(eventId, date);
  }
  return moved;
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
  const moved = correctedDates(facts);
  return (fact) => countsBy(fact, moved, cutoff);
};

/** One fact's part of the rule above, given its plan's moved dates and the effectiveOn's last day. */
export const countsBy = (fact: LedgerFact, moved: ReadonlyMap<string, string>, cutoff: string): boolean =>
  isKnowledgeEvent(fact.type) || countsFromDayOf(fact, moved.get(fact.eventId)) <= cutoff;

/** The day a fact counts from (clocks.ts), given the date a correction moved it to, if any. */
const countsFromDayOf = (fact: LedgerFact, moved: string | undefined): string =>
  countsFrom(moved ?? fact.effectiveOn.date, fact.recordedAt, moved !== undefined);
