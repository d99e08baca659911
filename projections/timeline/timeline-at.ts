import { countingAt } from '../clocks/select-facts.ts';
import type { Clocks } from '../clocks/clocks.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import { evolveTimeline, initialTimeline, type TimelineState } from './timeline.ts';

/** What a timeline is read through: the plan reader's facts of a plan recorded by an `asOf` (plan-reader.ts). */
export interface PlanFactsReader {
  planFacts(planId: string, clocks: Pick<Clocks, 'asOf'>): AsyncIterable<LedgerFact>;
}

/**
 * A plan's timeline at the clocks: the entries of the facts that count there. Every fact
 * recorded by the `asOf` is folded, so a correction's entry names the action it corrects and
 * the date it moved, before and after, even at an effectiveOn its corrected entry no longer
 * reaches; only the facts that count give entries (select-facts.ts).
 */
export const timelineAt = async (
  reader: PlanFactsReader,
  planId: string,
  clocks: Clocks,
  canonical: (name: string) => string,
): Promise<TimelineState> => {
  const recorded: LedgerFact[] = [];
  for await (const fact of reader.planFacts(planId, { asOf: clocks.asOf })) recorded.push(fact);
  const counts = countingAt(recorded, clocks.effectiveOn);
  const state = initialTimeline();
  for (const fact of recorded) evolveTimeline(state, fact, canonical, counts(fact));
  return state;
};
