import type { StoredEvent } from '../events/envelope.ts';
import { planIdOfStream, planStream } from '../events/streams.ts';
import type { EventStore } from '../src/store/port.ts';
import { toLedgerFact, type LedgerFact } from './ledger-fact.ts';
import type { PlanDoc } from './plan-status/document.ts';
import { evolvePlanStatus } from './plan-status/evolve.ts';
import { foldPlanStatus } from './plan-status/projection.ts';
import { businessCutoff } from './clocks/clocks.ts';
import { correctedDates, countsBy, selectByBusinessDate } from './clocks/select-facts.ts';

/**
 * Views at any pair of clocks folded straight from the ledger: the definition every faster
 * path must equal (select-facts.ts), and the answer when no faster one applies. It reads the
 * plan's stream, or the whole ledger up to a position, so it costs time in proportion to them.
 */

/** A plan's facts recorded up to a position (all of them without one), in ledger order. */
export const recordedPlanFacts = async (store: EventStore, planId: string, upTo?: bigint): Promise<LedgerFact[]> => {
  const facts: LedgerFact[] = [];
  for await (const event of store.readStream(planStream(planId))) {
    if (upTo !== undefined && event.position > upTo) break;
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
): Promise<PlanDoc | undefined> => foldPlanStatus(selectByBusinessDate(await recordedPlanFacts(store, planId, upTo), effectiveOn));

const readPrefix = async function* (store: EventStore, upTo: bigint | undefined): AsyncGenerator<StoredEvent> {
  for await (const event of store.readAll(upTo === undefined ? {} : { limit: Number(upTo) + 1 })) {
    if (upTo !== undefined && event.position > upTo) return;
    yield event;
  }
};

/**
 * Every plan's document folded from the ledger up to a position at an effectiveOn, sorted by
 * plan id. With an effectiveOn the ledger is read twice: once for the corrections, which may
 * move an event's business date, then to fold what counts; no plan's facts are held at once.
 */
export const foldAllFromLedger = async (
  store: EventStore,
  upTo: bigint | undefined,
  effectiveOn: string | undefined,
): Promise<PlanDoc[]> => {
  const corrections = new Map<string, LedgerFact[]>();
  if (effectiveOn !== undefined)
    for await (const event of readPrefix(store, upTo)) {
      if (event.type !== 'EntryCorrected') continue;
      const fact = toLedgerFact(event);
      if (fact) corrections.set(fact.planId, [...(corrections.get(fact.planId) ?? []), fact]);
    }
  const moved = new Map([...corrections].map(([planId, facts]) => [planId, correctedDates(facts)]));
  const cutoff = effectiveOn === undefined ? undefined : businessCutoff(effectiveOn);
  const none = new Map<string, string>();
  const docs = new Map<string, PlanDoc>();
  for await (const event of readPrefix(store, upTo)) {
    const planId = planIdOfStream(event.stream);
    if (planId === undefined) continue;
    const fact = toLedgerFact(event)!;
    if (cutoff !== undefined && !countsBy(fact, moved.get(planId) ?? none, cutoff)) continue;
    const doc = evolvePlanStatus(docs.get(planId), fact);
    if (doc) docs.set(planId, doc);
  }
  return [...docs.values()].sort((a, b) => (a.planId < b.planId ? -1 : 1));
};
