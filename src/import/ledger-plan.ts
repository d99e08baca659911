import type { StoredEvent } from '../../events/envelope.ts';
import { evolve } from '../domain/plan/evolve.ts';
import { initialState, type Plan, type PlanFact } from '../domain/plan/state.ts';
import type { EventStore } from '../store/port.ts';
import { toPlanFact } from '../domain/plan/plan-fact.ts';
import { planStream } from '../../events/streams.ts';
import { withoutRefusedCharacters } from './control-characters.ts';
import { forbiddenCharacterIn } from '../domain/plan/texts.ts';
import { later } from './dates.ts';

/**
 * What the ledger already holds for a plan, in the terms an import compares against:
 * the decider's folded state (sections, actions with their current due date, status
 * and leads) and a key for every progress update, so an update already recorded is
 * recognised by what it says, about what, and when — not by the file it came from.
 */
export interface LedgerPlan {
  state: Plan;
  facts: PlanFact[];
  /** target|date|narrative of every recorded update. */
  updateKeys: Set<string>;
  /** target|narrative → how many updates say exactly this about it. */
  narrativeCounts: Map<string, number>;
  /** kind|ref → its latest reported RAG rating (by effective date, the later recorded of one date) and that date. */
  ratings: Map<string, { rating: string; on: string }>;
  /** The plan was retracted (and not restored): its documents may be imported again under another plan id. */
  retracted: boolean;
  /**
   * Read as a document's texts are (`asDocumentsRead`): the actions whose recorded leads or partners held characters a
   * write now refuses, each with its organisations as recorded. A change of their leads would record the names without
   * them, which the organisation directory may read as other organisations.
   */
  namesCleaned: Map<string, { leadOrganisations: string[]; partnerOrganisations: string[] }>;
}

export const normaliseNarrative = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** The same update, dated; and the same update whatever its date (an undated update's date is a rule, not a fact). */
export const updateKey = (kind: string, ref: string, date: string | '*', narrative: string): string =>
  `${kind}|${ref}|${date}|${normaliseNarrative(narrative)}`;

export const ratingKey = (kind: string, ref: string): string => `${kind}|${ref}`;

export const foldLedgerPlan = (facts: PlanFact[]): LedgerPlan => {
  let state = initialState();
  const updateKeys = new Set<string>();
  const narrativeCounts = new Map<string, number>();
  const rated = new Map<string, { rating: string; on: string }>();
  for (const fact of facts) {
    state = evolve(state, fact);
    if (fact.type === 'ProgressUpdateRecorded') {
      const { target, narrative } = fact.data;
      updateKeys.add(updateKey(target.kind, target.ref, fact.effectiveOn, narrative));
      const any = updateKey(target.kind, target.ref, '*', narrative);
      narrativeCounts.set(any, (narrativeCounts.get(any) ?? 0) + 1);
      const key = ratingKey(target.kind, target.ref);
      const before = rated.get(key);
      if (fact.data.reportedRag && (!before || later(before.on, fact.effectiveOn) === fact.effectiveOn))
        rated.set(key, { rating: fact.data.reportedRag.rating, on: fact.effectiveOn });
    }
  }
  return {
    state,
    facts,
    updateKeys,
    narrativeCounts,
    ratings: rated,
    retracted: state.status === 'registered' && state.retracted,
    namesCleaned: new Map(),
  };
};

/** The actions whose organisations, as recorded, differ from the same read without the characters a write refuses. */
const actionsWithNamesCleaned = (recorded: Plan, cleaned: Plan): LedgerPlan['namesCleaned'] => {
  const found: LedgerPlan['namesCleaned'] = new Map();
  if (recorded.status !== 'registered' || cleaned.status !== 'registered') return found;
  for (const [ref, action] of recorded.actions) {
    const { leadOrganisations, partnerOrganisations } = action;
    const other = cleaned.actions.get(ref);
    if (
      other &&
      JSON.stringify([leadOrganisations, partnerOrganisations]) !== JSON.stringify([other.leadOrganisations, other.partnerOrganisations])
    )
      found.set(ref, { leadOrganisations, partnerOrganisations });
  }
  return found;
};

/**
 * The plan as the ledger holds it; `asDocumentsRead`, its texts as an import reads a Word, Excel or text document's
 * (without the characters a write refuses, control-characters.ts), so that an unchanged document compares as
 * unchanged: its leads not as another organisation, its updates not as new ones.
 */
export const readLedgerPlan = async (store: EventStore, planId: string, { asDocumentsRead = false } = {}): Promise<LedgerPlan> => {
  const facts: PlanFact[] = [];
  for await (const event of store.readStream(planStream(planId))) facts.push(toPlanFact(event as StoredEvent));
  const recorded = foldLedgerPlan(facts);
  // Almost every plan holds none of those characters: then the plan as recorded is the plan as a document reads it.
  if (!asDocumentsRead || !facts.some((fact) => forbiddenCharacterIn(fact.data) !== undefined)) return recorded;
  const read = foldLedgerPlan(facts.map(withoutRefusedCharacters));
  return { ...read, namesCleaned: actionsWithNamesCleaned(recorded.state, read.state) };
};
