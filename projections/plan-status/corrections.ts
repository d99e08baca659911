import { isDeepStrictEqual } from 'node:util';
import type { CorrectionItem, PlanDoc, Reported } from './document.ts';

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
      case 'PlanRegistered': return doc.plan.eventId === eventId ? doc.plan : undefined;
      case 'SectionAdded': return match(doc.sections);
      case 'RecommendationRecorded': return inEach(doc.recommendations, (r) => (r.recorded.eventId === eventId ? r.recorded : undefined));
      case 'RecommendationResponseRecorded': return inEach(doc.recommendations, (r) => match(r.responses));
      case 'RecommendationAssured': return inEach(doc.recommendations, (r) => match(r.assurances));
      case 'ActionAgreed': return inEach(doc.actions, (a) => (a.agreed.eventId === eventId ? a.agreed : undefined));
      case 'ActionLeadChanged': return inEach(doc.actions, (a) => match(a.leadChanges));
      case 'DeadlineRevised': return inEach(doc.actions, (a) => match(a.revisions));
      case 'ActionCompleted': case 'ActionSubsumed': case 'ActionWithdrawn': case 'ActionReopened':
        return inEach(doc.actions, (a) => (a.closure?.eventId === eventId ? a.closure : undefined));
      case 'EvidenceLinked': return inEach(doc.actions, (a) => match(a.evidence)) ?? inEach(doc.recommendations, (r) => match(r.evidence));
      case 'ProgressUpdateRecorded': return inEach(doc.actions, latest) ?? inEach(doc.recommendations, latest);
      case 'EntryCorrected': return match(doc.corrections);
      default: return undefined;
    }
  })();
  return found as Holder | undefined;
};

/** Lays a correction's changes over the fields it names, remembering what they were. */
const lay = (doc: PlanDoc, correction: CorrectionItem): void => {
  correction.replaced = {};
  const holder = holderOf(doc, correction.correctedEventId, correction.correctedType);
  // An older progress update is not kept in this view (only the latest is): nothing here to correct.
  if (!holder) return;
  for (const [field, value] of Object.entries(correction.changes)) {
    if (holder[field] !== undefined) correction.replaced[field] = holder[field];
    holder[field] = value;
  }
};

/** Takes a correction back off, field by field, unless a later correction has since changed the field again. */
const lift = (doc: PlanDoc, correction: CorrectionItem): void => {
  const holder = holderOf(doc, correction.correctedEventId, correction.correctedType);
  if (!holder) return;
  for (const [field, value] of Object.entries(correction.changes)) {
    if (!isDeepStrictEqual(holder[field], value)) continue;
    if (field in correction.replaced) holder[field] = correction.replaced[field];
    else delete holder[field];
  }
};

const correctionFields = ['correctedEventId', 'changes', 'reason'] as const;

/**
 * The corrections a correction acts through, nearest first: for a correction of a
 * correction of an action, [that correction, the action's correction]. Stops at a loop,
 * which the decider refuses, rather than spin on a ledger written without that check.
 */
const chainBelow = (doc: PlanDoc, correction: CorrectionItem): CorrectionItem[] => {
  const chain: CorrectionItem[] = [];
  const seen = new Set([correction.eventId]);
  let current = correction;
  while (current.correctedType === 'EntryCorrected') {
    const next = doc.corrections.find((c) => c.eventId === current.correctedEventId);
    if (!next || seen.has(next.eventId)) break;
    seen.add(next.eventId);
    chain.push(next);
    current = next;
  }
  return chain;
};

/**
 * Applies an EntryCorrected: the corrected value is what the view shows from now on. A
 * correction of a correction takes the earlier one off, amends it, and lays it again; the
 * corrections below it are taken off and laid again too (innermost off first, outermost on
 * first), since what the earlier one says reaches the original event only through them.
 */
export const applyCorrection = (doc: PlanDoc, correction: CorrectionItem): void => {
  const earlier = correction.correctedType === 'EntryCorrected'
    ? doc.corrections.find((c) => c.eventId === correction.correctedEventId)
    : undefined;
  if (earlier) {
    for (const c of [earlier, ...chainBelow(doc, earlier)].reverse()) lift(doc, c);
    correction.replaced = {};
    for (const field of correctionFields) {
      if (!(field in correction.changes)) continue;
      correction.replaced[field] = earlier[field];
      (earlier as unknown as Holder)[field] = correction.changes[field];
    }
    for (const c of [earlier, ...chainBelow(doc, earlier)]) lay(doc, c);
  } else {
    lay(doc, correction);
  }
  doc.corrections.push(correction);
};
