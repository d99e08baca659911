import { planIdOfStream } from '../events/streams.ts';
import type { EventStore } from '../src/store/port.ts';
import type { PlanDoc } from './plan-status/document.ts';
import { planLines, type PlanLines } from './plan-status/plan-lines.ts';

/**
 * Every plan's lines where the history does not answer them: at both clocks at once, and at an
 * `asOf` the read models have not reached yet. Each plan is folded on its own (from its
 * snapshot, by the reader's one-plan path) and dropped once its lines are taken, so a read of
 * every plan holds one document at a time and a page of plans folds only the plans it lists.
 * Folding the whole ledger up to the position instead held every plan's document at once: at
 * ten million events, halfway along, 2.6 GB and 87 s (docs/projections.md).
 */

/** The plans the ledger's events after one position, up to another, belong to: what the read models have not applied yet. */
export const plansRecordedBetween = async (store: EventStore, after: bigint, upTo: bigint): Promise<Set<string>> => {
  const plans = new Set<string>();
  if (upTo <= after) return plans;
  // Positions are dense (store port): these are exactly the events after `after`, up to `upTo`.
  for await (const event of store.readAll({ fromPosition: after + 1n, limit: Number(upTo - after) })) {
    const planId = planIdOfStream(event.stream);
    if (planId !== undefined) plans.add(planId);
  }
  return plans;
};

/**
 * The lines of the plans named (in plan id order), each folded by `docOf`, at most `limit` of
 * those that count: a plan not registered at the clocks, or retracted there, is in no list.
 */
export const linesOneByOne = async (
  planIds: Iterable<string>,
  docOf: (planId: string) => Promise<PlanDoc | undefined>,
  limit = Number.POSITIVE_INFINITY,
): Promise<PlanLines[]> => {
  const found: PlanLines[] = [];
  for (const planId of planIds) {
    if (found.length >= limit) break;
    const doc = await docOf(planId);
    if (doc && !doc.retraction) found.push(planLines(doc));
  }
  return found;
};

/** Plan ids from two lists as one, each once, in plan id order, after `after` when given. */
export const planIdsAfter = (known: Iterable<string>, more: Iterable<string>, after: string | undefined): string[] =>
  [...new Set([...known, ...more])].filter((id) => after === undefined || id > after).sort();
