import { planIdOfStream } from '../events/streams.ts';
import type { EventStore } from '../src/store/port.ts';
import type { PlanDoc } from './plan-status/document.ts';
import { comparePlanIds } from './plan-id-order.ts';
import { planLines, type PlanLines } from './plan-status/plan-lines.ts';

/**
 * Every plan's lines where the history does not answer them (plan-reader.ts says when): each
 * such plan is folded on its own (from its snapshot, by the reader's one-plan path) and its
 * document dropped once its lines are taken, so a read holds one document at a time and the
 * folded plans' lines. Folding the whole ledger up to the position instead held every plan's
 * document at once: at ten million events, halfway along, 2.6 GB and 87 s (docs/projections.md).
 */

/** The plans the ledger's events after one position, up to another, belong to: what the read models have not applied yet. */
export const plansRecordedBetween = async (store: EventStore, after: bigint, upTo: bigint): Promise<Set<string>> => {
  const plans = new Set<string>();
  if (upTo <= after) return plans;
  // Positions are dense (store port): these are exactly the events after `after`, up to `upTo`. Read
  // again by each such request: usually a few events, while the read models catch up; the whole
  // ledger (ids only) while they are rebuilt from nothing.
  for await (const event of store.readAll({ fromPosition: after + 1n, limit: Number(upTo - after) })) {
    const planId = planIdOfStream(event.stream);
    if (planId !== undefined) plans.add(planId);
  }
  return plans;
};

/**
 * Told after each plan folded: how many so far, of how many named to fold (a page may stop
 * before the last). What a command shows while a read of every plan folds them one by one.
 */
export type FoldProgress = (folded: number, of: number) => void;

/** A plan's lines from its document folded at the clocks, or undefined when it is in no list there (not registered, or retracted). */
const listedLines = async (planId: string, docOf: (planId: string) => Promise<PlanDoc | undefined>) => {
  const doc = await docOf(planId);
  return doc && !doc.retraction ? planLines(doc) : undefined;
};

/** The run's plans but those folded, and the folded plans, merged in plan id order; walkable as often as a view needs. */
const mergedInOrder = (run: Iterable<PlanLines>, skip: ReadonlySet<string>, folded: PlanLines[]): Iterable<PlanLines> => ({
  *[Symbol.iterator]() {
    let next = 0;
    for (const plan of run) {
      if (skip.has(plan.planId)) continue;
      while (next < folded.length && comparePlanIds(folded[next]!.planId, plan.planId) < 0) yield folded[next++]!;
      yield plan;
    }
    while (next < folded.length) yield folded[next++]!;
  },
});

/**
 * The plans of a run of the history in plan id order, with the plans named in `fold` folded one
 * by one by `docOf` in their place: at most `limit` plans that are listed at the clocks. A plan
 * folded may turn out not to be listed (registered after the asOf, or retracted then), so the
 * page ends where the walk in id order fills it: `run` is the history from the page's `after`,
 * either to its end or far enough to hold `limit` listed plans besides those named, with every
 * plan named that comes before its last (history-reader.ts `linesAt` gives such a page).
 * - A page is walked here, each plan named folded as the walk reaches it, until the page is full:
 *   it folds the plans it lists and those it passes over, no more.
 * - The whole list folds every plan named first, then merges them with the run as it is walked,
 *   so the run's plans are still decoded one at a time (history-reader.ts).
 */
export const withFolds = async (
  run: Iterable<PlanLines>,
  fold: Iterable<string>,
  docOf: (planId: string) => Promise<PlanDoc | undefined>,
  limit: number,
  progress: FoldProgress = () => undefined,
): Promise<Iterable<PlanLines>> => {
  const ids = [...new Set(fold)].sort(comparePlanIds);
  // Nothing to fold (the usual case): the run is already the page, decoded as it is walked.
  if (ids.length === 0) return run;
  const skip = new Set(ids);
  let folded = 0;
  const foldOne = async (planId: string) => {
    const lines = await listedLines(planId, docOf);
    progress(++folded, ids.length);
    return lines;
  };
  if (limit === Number.POSITIVE_INFINITY) {
    const all: PlanLines[] = [];
    for (const planId of ids) {
      const lines = await foldOne(planId);
      if (lines) all.push(lines);
    }
    return mergedInOrder(run, skip, all);
  }
  const page: PlanLines[] = [];
  let next = 0;
  const foldUpTo = async (planId: string | undefined) => {
    while (page.length < limit && next < ids.length && (planId === undefined || comparePlanIds(ids[next]!, planId) < 0)) {
      const lines = await foldOne(ids[next++]!);
      if (lines) page.push(lines);
    }
  };
  for (const plan of run) {
    if (skip.has(plan.planId)) continue;
    await foldUpTo(plan.planId);
    if (page.length >= limit) return page;
    page.push(plan);
  }
  await foldUpTo(undefined);
  return page;
};
