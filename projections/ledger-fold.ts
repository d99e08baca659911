import { planStream } from '../events/streams.ts';
import type { EventStore } from '../src/store/port.ts';
import { toLedgerFact, type LedgerFact } from './ledger-fact.ts';
import type { PlanDoc } from './plan-status/document.ts';
import { foldPlanStatus } from './plan-status/projection.ts';
import { countingAt } from './clocks/select-facts.ts';
import { revisionsNotCountedAmong, withRevisionsNotCounted } from './plan-status/revisions-not-counted.ts';

/**
 * A plan's view at any pair of clocks folded straight from its stream: the definition every
 * faster path must equal (select-facts.ts), and the answer when no faster one applies. It reads
 * the plan's whole stream (up to a position), so it costs time in proportion to it.
 */

/** A plan's facts recorded up to a position (all of them without one), in ledger order. */
export const recordedPlanFacts = async (store: EventStore, planId: string, upTo?: bigint): Promise<LedgerFact[]> => {
  const facts: LedgerFact[] = [];
  for await (const event of store.readStream(planStream(planId), { toPosition: upTo })) {
    const fact = toLedgerFact(event);
    if (fact) facts.push(fact);
  }
  return facts;
};

/** One plan's document folded from the facts that count at these clocks. */
export const foldPlanFromLedger = async (
  store: EventStore,
  planId: string,
  upTo: bigint | undefined,
  effectiveOn: string | undefined,
): Promise<PlanDoc | undefined> => {
  const recorded = await recordedPlanFacts(store, planId, upTo);
  if (effectiveOn === undefined) return foldPlanStatus(recorded);
  const counts = countingAt(recorded, effectiveOn);
  return withRevisionsNotCounted(foldPlanStatus(recorded.filter(counts)), revisionsNotCountedAmong(recorded, counts));
};
