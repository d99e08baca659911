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
 * - a date counts from its last day, or from the London day the ledger was last told it if that
 *   came first: the day of the correction after which the fact's date in force (the date the
 *   corrections recorded by then set, else the date recorded) last became the one it is now, or
 *   the day the fact was recorded if none changed it;
 * - a fact about an action counts no earlier than the action's agreement, and one about a
 *   recommendation no earlier than the recommendation's recording.
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

/** The dates the corrections among `facts` set, by the entry they set them on: the latest that sets one, each as later ones left it. */
const datesInForce = (facts: readonly LedgerFact[]): Map<string, string> => {
  const amended = asAmended(facts);
  const dates = new Map<string, string>();
  for (const c of facts) {
    const data = c.type === 'EntryCorrected' ? amended.get(c.eventId)! : undefined;
    const date = data && dateSet(data);
    if (date !== undefined && !amended.has(data!.correctedEventId)) dates.set(data!.correctedEventId, date);
  }
  return dates;
};

/** The London day each of a plan's facts counts from on the business clock, by the rule above (its facts: those recorded by the `asOf`). */
export const countsFromByDefinition = (facts: readonly LedgerFact[]): ((fact: LedgerFact) => string) => {
  // Each fact's date in force and when it last became that: first as recorded, then after each correction.
  const told = new Map(facts.map((f) => [f.eventId, { date: f.effectiveOn.date, at: f.recordedAt }]));
  facts.forEach((c, k) => {
    if (c.type !== 'EntryCorrected') return;
    const dates = datesInForce(facts.slice(0, k + 1));
    for (const f of facts.slice(0, k + 1)) {
      const date = dates.get(f.eventId) ?? f.effectiveOn.date;
      if (told.get(f.eventId)!.date !== date) told.set(f.eventId, { date, at: c.recordedAt });
    }
  });
  const own = (fact: LedgerFact) => {
    const { date, at } = told.get(fact.eventId)!;
    const last = lastDayOf(date);
    const day = londonDay(at);
    return day < last ? day : last;
  };
  const creation = new Map<string, string>(
    facts.flatMap((f) => (CREATES[f.type] ? [[`${CREATES[f.type]}:${refOf(f)}`, own(f)] as const] : [])),
  );
  return (fact) => {
    const about = aboutOf(fact);
    const from = about === undefined ? undefined : creation.get(about);
    return from !== undefined && from > own(fact) ? from : own(fact);
  };
};

/** The facts that bring an action or a recommendation into a plan. */
const CREATES: Record<string, string> = { ActionAgreed: 'action', RecommendationRecorded: 'recommendation' };

const refOf = (fact: LedgerFact): string => (fact.data as { ref: string }).ref;

/** The action or recommendation a fact other than its own creation is about, as `kind:ref`. */
const aboutOf = (fact: LedgerFact): string | undefined => {
  if (CREATES[fact.type] || KNOWLEDGE.has(fact.type)) return undefined;
  const data = fact.data as { target?: { kind: string; ref: string }; ref?: string };
  if (data.target) return `${data.target.kind}:${data.target.ref}`;
  if (fact.type.startsWith('Recommendation')) return `recommendation:${data.ref}`;
  if (fact.type.startsWith('Action') || fact.type === 'DeadlineRevised') return `action:${data.ref}`;
  return undefined;
};

export const countingByDefinition = (facts: readonly LedgerFact[], effectiveOn: string | undefined): LedgerFact[] => {
  if (effectiveOn === undefined) return [...facts];
  const countsFrom = countsFromByDefinition(facts);
  return facts.filter((f) => KNOWLEDGE.has(f.type) || countsFrom(f) <= lastDayOf(effectiveOn));
};
