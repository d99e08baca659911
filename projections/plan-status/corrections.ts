import { isDeepStrictEqual } from 'node:util';
import type { CorrectionItem, PlanDoc } from './document.ts';

type Holder = Record<string, unknown>;

/** The part of the document that holds one event's data fields, found by the event's id. */
export const holderOf = (doc: PlanDoc, eventId: string): Holder | undefined => {
  const match = (items: readonly { eventId: string }[]) => items.find((i) => i.eventId === eventId);
  if (doc.plan.eventId === eventId) return doc.plan as unknown as Holder;
  const found =
    match(doc.sections) ??
    doc.recommendations
      .map((r) => (r.recorded.eventId === eventId ? r.recorded : match(r.responses) ?? match(r.assurances) ?? match(r.evidence) ?? (r.lastUpdate?.eventId === eventId ? r.lastUpdate : undefined)))
      .find(Boolean) ??
    doc.actions
      .map((a) => (a.agreed.eventId === eventId ? a.agreed : match(a.leadChanges) ?? match(a.revisions) ?? match(a.closures) ?? match(a.evidence) ?? (a.lastUpdate?.eventId === eventId ? a.lastUpdate : undefined)))
      .find(Boolean) ??
    match(doc.corrections);
  return found as Holder | undefined;
};

/** Lays a correction's changes over the fields it names, remembering what they were. */
const lay = (doc: PlanDoc, correction: CorrectionItem): void => {
  correction.replaced = {};
  const holder = holderOf(doc, correction.correctedEventId);
  // An older progress update is not kept in this view (only the latest is): nothing here to correct.
  if (!holder) return;
  for (const [field, value] of Object.entries(correction.changes)) {
    if (holder[field] !== undefined) correction.replaced[field] = holder[field];
    holder[field] = value;
  }
};

/** Takes a correction back off, field by field, unless a later correction has since changed the field again. */
const lift = (doc: PlanDoc, correction: CorrectionItem): void => {
  const holder = holderOf(doc, correction.correctedEventId);
  if (!holder) return;
  for (const [field, value] of Object.entries(correction.changes)) {
    if (!isDeepStrictEqual(holder[field], value)) continue;
    if (field in correction.replaced) holder[field] = correction.replaced[field];
    else delete holder[field];
  }
};

const correctionFields = ['correctedEventId', 'changes', 'reason'] as const;

/**
 * Applies an EntryCorrected: the corrected value is what the view shows from now on. A
 * correction of a correction takes the earlier one off, amends it, and lays it again.
 */
export const applyCorrection = (doc: PlanDoc, correction: CorrectionItem): void => {
  const earlier = correction.correctedType === 'EntryCorrected'
    ? doc.corrections.find((c) => c.eventId === correction.correctedEventId)
    : undefined;
  if (earlier) {
    lift(doc, earlier);
    correction.replaced = {};
    for (const field of correctionFields) {
      if (!(field in correction.changes)) continue;
      correction.replaced[field] = earlier[field];
      (earlier as unknown as Holder)[field] = correction.changes[field];
    }
    lay(doc, earlier);
  } else {
    lay(doc, correction);
  }
  doc.corrections.push(correction);
};
