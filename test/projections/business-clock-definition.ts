import { lastDayOf } from '../../events/business-date.ts';
import { londonDay } from '../../src/domain/calendar.ts';
import type { LedgerFact } from '../../projections/ledger-fact.ts';

/**
 * The facts of one plan that count at an effectiveOn, by the definition in docs/projections.md
 * ("Two clocks", "Corrections"), written apart from the service's overlay so the property test
 * checks the rule and not the code that applies it:
 * - corrections, retractions and reinstatements change what is known: they count at every date;
 * - any other fact counts once its business date in force has happened (a month by its last day,
 *   or by the London day it was recorded if that came first: what was recorded had happened);
 * - its date in force is the date set by the latest correction of it that sets one, each
 *   correction read as later corrections of it left it (a correction's fields are replaced by a
 *   correction of it, whose own fields are replaced in the same way), a completion's date
 *   being its business date;
 * - a date counts from its last day, or from the London day the ledger was told it if that came
 *   first: for a date a correction set, the day that correction was recorded, or the latest
 *   correction of it (at any depth) if any came later, as any of them may have changed the date.
 */
const KNOWLEDGE = new Set(['EntryCorrected', 'PlanRetracted', 'PlanReinstated']);

type CorrectionData = { correctedEventId: string; correctedType: string; changes: Record<string, unknown>; correctedEffectiveOn?: string };

/** Each correction's data as the corrections recorded after it leave it, newest first: a correction is only corrected by later ones. */
const asAmended = (facts: readonly LedgerFact[]): Map<string, CorrectionData> => {
  const corrections = facts.filter((f) => f.type === 'EntryCorrected');
  const amended = new Map<string, CorrectionData>();
  for (let k = corrections.length - 1; k >= 0; k--) {
    let data = corrections[k]!.data as CorrectionData;
    for (const later of corrections.slice(k + 1)) {
      const laid = amended.get(later.eventId)!;
      if (laid.correctedEventId === corrections[k]!.eventId) data = { ...data, ...laid.changes } as CorrectionData;
    }
    amended.set(corrections[k]!.eventId, data);
  }
  return amended;
};

/** The business date a correction sets on the entry it corrects, if any: a completion's date is its business date. */
const dateSet = (c: CorrectionData): string | undefined =>
  c.correctedEffectiveOn ??
  (c.correctedType === 'ActionCompleted' && typeof c.changes.completedOn === 'string' ? c.changes.completedOn : undefined);

/** The London day each of a plan's facts counts from on the business clock, by the rule above (its facts: those recorded by the `asOf`). */
export const countsFromByDefinition = (facts: readonly LedgerFact[]): ((fact: LedgerFact) => string) => {
  const amended = asAmended(facts);
  const corrections = facts.filter((f) => f.type === 'EntryCorrected');
  // When the ledger was last told anything about a correction: it, or a correction of it at any depth.
  const toldAt = (id: string, at: string): string =>
    corrections
      .filter((d) => amended.get(d.eventId)!.correctedEventId === id)
      .reduce((latest, d) => {
        const told = toldAt(d.eventId, d.recordedAt);
        return told > latest ? told : latest;
      }, at);
  // In recording order, so the latest correction that sets a date is the one that stands.
  const setBy = (fact: LedgerFact): { date: string; at: string } | undefined => {
    let set: { date: string; at: string } | undefined;
    for (const c of corrections) {
      const data = amended.get(c.eventId)!;
      const date = data.correctedEventId === fact.eventId ? dateSet(data) : undefined;
      if (date !== undefined) set = { date, at: toldAt(c.eventId, c.recordedAt) };
    }
    return set;
  };
  return (fact) => {
    const set = setBy(fact);
    const last = lastDayOf(set?.date ?? fact.effectiveOn.date);
    const told = londonDay(set?.at ?? fact.recordedAt);
    return told < last ? told : last;
  };
};

export const countingByDefinition = (facts: readonly LedgerFact[], effectiveOn: string | undefined): LedgerFact[] => {
  if (effectiveOn === undefined) return [...facts];
  const countsFrom = countsFromByDefinition(facts);
  return facts.filter((f) => KNOWLEDGE.has(f.type) || countsFrom(f) <= lastDayOf(effectiveOn));
};
