import { isDeepStrictEqual } from 'node:util';
import type { CorrectionItem, PlanDoc, Reported } from './document.ts';
import { EFFECTIVE_ON, laidByCorrection, resolveCorrectionsWithAmendments } from '../../src/domain/correction-overlay.ts';
import { copyJson } from '../copy-json.ts';
import { correctionIndex } from './correction-index.ts';

type Holder = Record<string, unknown>;

/**
 * The part of the document that holds one event's data fields. The correction names the
 * corrected event's type, so only the lists that type lands in are searched.
 */
export const holderOf = (doc: PlanDoc, eventId: string, type: string): Holder | undefined => {
  const match = (items: readonly { eventId: string }[]) => items.find((i) => i.eventId === eventId);
  const inEach = <T>(owners: readonly T[], pickFrom: (owner: T) => object | null | undefined): object | undefined => {
    for (const owner of owners) {
      const found = pickFrom(owner);
      if (found) return found;
    }
    return undefined;
  };
  const latest = (r: Reported) => (r.lastUpdate?.eventId === eventId ? r.lastUpdate : undefined);
  const found: object | undefined = (() => {
    switch (type) {
      case 'PlanRegistered':
        return doc.plan.eventId === eventId ? doc.plan : undefined;
      case 'PlanOwnerChanged':
        return match(doc.ownerChanges);
      case 'SectionAdded':
        return match(doc.sections);
      case 'RecommendationRecorded':
        return inEach(doc.recommendations, (r) => (r.recorded.eventId === eventId ? r.recorded : undefined));
      case 'RecommendationResponseRecorded':
        return inEach(doc.recommendations, (r) => match(r.responses));
      case 'RecommendationAssured':
        return inEach(doc.recommendations, (r) => match(r.assurances));
      case 'ActionAgreed':
        return inEach(doc.actions, (a) => (a.agreed.eventId === eventId ? a.agreed : undefined));
      case 'ActionLeadChanged':
        return inEach(doc.actions, (a) => match(a.leadChanges));
      case 'DeadlineRevised':
        return inEach(doc.actions, (a) => match(a.revisions));
      case 'ActionCompleted':
      case 'ActionSubsumed':
      case 'ActionWithdrawn':
      case 'ActionReopened':
        return inEach(doc.actions, (a) => (a.closure?.eventId === eventId ? a.closure : undefined));
      case 'EvidenceLinked':
      case 'EvidenceFileAttached':
        return inEach(doc.actions, (a) => match(a.evidence)) ?? inEach(doc.recommendations, (r) => match(r.evidence));
      case 'ProgressUpdateRecorded':
        return inEach(doc.actions, latest) ?? inEach(doc.recommendations, latest);
      case 'EntryCorrected':
        return match(doc.corrections);
      case 'EvidenceErased':
        return match(doc.erasures);
      default:
        return undefined;
    }
  })();
  return found as Holder | undefined;
};

/**
 * The corrections in force, worked out as the decider works them out (one implementation,
 * so the view shows what later decisions are checked against): each correction as amended
 * by later corrections of it, and the changes in force on each corrected event.
 */
const resolve = (corrections: readonly CorrectionItem[]) =>
  resolveCorrectionsWithAmendments(corrections.map((c) => ({ eventId: c.eventId, data: c.recorded })));

/**
 * Takes an event's old changes off the fields they named and lays its new ones, keeping each field's original value.
 * A corrected business date arrives as `effectiveOn` (EFFECTIVE_ON), the field every item keeps its date in, so it is laid the same way.
 */
const relay = (doc: PlanDoc, eventId: string, type: string, old: Holder, next: Holder): void => {
  const holder = holderOf(doc, eventId, type);
  // An older progress update is not kept in this view (only the latest is): nothing here to correct.
  if (!holder) return;
  const originals = (doc.originals[eventId] ??= {});
  for (const field of Object.keys(old)) {
    if (field in next) continue;
    const original = originals[field];
    if (!original) continue;
    if ('value' in original) holder[field] = original.value;
    else delete holder[field];
    delete originals[field];
  }
  for (const [field, value] of Object.entries(next)) {
    originals[field] ??= field in holder && holder[field] !== undefined ? { value: holder[field] } : { absent: true };
    // A copy: the document must not share objects with the corrections' recorded data.
    holder[field] = copyJson(value);
  }
  if (Object.keys(originals).length === 0) delete doc.originals[eventId];
};

/** An action whose last event had its business date moved shows the date in force (or its own again). */
const moveLastActivity = (doc: PlanDoc, eventId: string, date: string | undefined): void => {
  for (const action of doc.actions)
    if (action.lastActivity.eventId === eventId) action.lastActivity.effectiveOn = date ?? action.lastActivity.recordedOn;
};

/**
 * Applies an EntryCorrected: the corrected values are what the view shows from now on. The
 * corrections in force are worked out again with it, every event whose changes in force
 * differ has the old ones taken off and the new ones laid, and every correction shows what
 * it says as amended. So a correction of a correction, at any depth, reaches the event at
 * the end of its chain, and a redirected one leaves the event it used to correct.
 */
export const applyCorrection = (doc: PlanDoc, correction: CorrectionItem): void =>
  correctsNoCorrection(doc, correction) ? applyPlainCorrection(doc, correction) : applyCorrectionInFull(doc, correction);

/** applyCorrection with every correction worked out again: what the shortcut below must always equal. */
export const applyCorrectionInFull = (doc: PlanDoc, correction: CorrectionItem): void => {
  const before = resolve(doc.corrections);
  doc.corrections.push(correction);
  const after = resolve(doc.corrections);
  const typeOf = new Map<string, string>();
  for (const amended of [...before.amended.values(), ...after.amended.values()])
    typeOf.set(amended.correctedEventId as string, amended.correctedType as string);
  for (const c of doc.corrections) {
    const amended = after.amended.get(c.eventId) as CorrectionItem['recorded'] | undefined;
    if (!amended) continue;
    c.correctedEventId = amended.correctedEventId;
    c.changes = copyJson(amended.changes);
    if (amended.correctedEffectiveOn === undefined) delete c.correctedEffectiveOn;
    else c.correctedEffectiveOn = amended.correctedEffectiveOn;
    c.reason = amended.reason;
  }
  for (const eventId of new Set([...before.resolved.keys(), ...after.resolved.keys()])) {
    const old = before.resolved.get(eventId) ?? {};
    const next = after.resolved.get(eventId) ?? {};
    if (isDeepStrictEqual(old, next)) continue;
    relay(doc, eventId, typeOf.get(eventId) ?? '', old, next);
    if (old[EFFECTIVE_ON] !== next[EFFECTIVE_ON]) moveLastActivity(doc, eventId, next[EFFECTIVE_ON] as string | undefined);
  }
};

/**
 * True when neither this correction nor any in the document corrects a correction: then every
 * correction stands as it was recorded, and this one changes what is in force on its own target
 * only. Plans correct dozens of entries and rarely a correction, and working every correction
 * out again for each new one cost the square of their number (a tenth of a second for a plan
 * with a hundred corrections).
 */
const correctsNoCorrection = (doc: PlanDoc, correction: CorrectionItem): boolean => {
  const index = correctionIndex(doc.corrections);
  return !index.ids.has(correction.recorded.correctedEventId) && !index.correctsACorrection;
};

/**
 * applyCorrection when correctsNoCorrection holds, with the same result: the changes in force on
 * the target are those of its corrections, oldest first, and only the target's are relaid.
 */
const applyPlainCorrection = (doc: PlanDoc, correction: CorrectionItem): void => {
  const { recorded } = correction;
  const target = recorded.correctedEventId;
  const earlier = correctionIndex(doc.corrections).byTarget.get(target) ?? [];
  const old: Holder = earlier.reduce<Holder>((inForce, c) => ({ ...inForce, ...laidByCorrection(c.recorded) }), {});
  doc.corrections.push(correction);
  // The correction shows what it says, as a copy: the document must not share objects with its recorded data.
  correction.correctedEventId = target;
  correction.changes = copyJson(recorded.changes);
  if (recorded.correctedEffectiveOn === undefined) delete correction.correctedEffectiveOn;
  else correction.correctedEffectiveOn = recorded.correctedEffectiveOn;
  correction.reason = recorded.reason;
  const next = { ...old, ...laidByCorrection(recorded) };
  if (isDeepStrictEqual(old, next)) return;
  relay(doc, target, (earlier[0] ?? correction).recorded.correctedType, old, next);
  if (old[EFFECTIVE_ON] !== next[EFFECTIVE_ON]) moveLastActivity(doc, target, next[EFFECTIVE_ON] as string | undefined);
};
