import type { EventData } from '../../events/catalogue.ts';

/**
 * What corrections put in force, worked out once for everyone who reads history: the
 * plan's decider (a later command is checked against corrected history) and the views
 * (they show it). Both lay the same overlay over the same events, so neither can show or
 * check a history the other does not hold.
 */

/** A recorded EntryCorrected: its id (a later correction may name it) and its data. */
export interface CorrectionRecord {
  eventId: string;
  data: EventData<'EntryCorrected'>;
}

/** Field changes by event id; a corrected business date rides beside them under EFFECTIVE_ON. */
export type Overlay = Record<string, unknown>;

/**
 * The key under which a corrected business date travels in the resolved overlays, beside the
 * data fields. No event's data has a field of this name (a correction naming it in `changes`
 * is refused), so the date is overlaid and merged by the same "latest word wins" rules, and
 * the plan-status view, whose items carry their date as `effectiveOn`, can lay it like a field.
 */
export const EFFECTIVE_ON = 'effectiveOn';

/** An overlay split into the data fields it changes and the business date it sets, if any. */
export const splitOverlay = (overlay: Overlay): { fields: Overlay; effectiveOn: string | undefined } => {
  const { [EFFECTIVE_ON]: effectiveOn, ...fields } = overlay;
  return { fields, effectiveOn: effectiveOn as string | undefined };
};

/**
 * The changes in force for each corrected event. A later correction may correct an
 * earlier one, so corrections are read newest first to find each one's effective
 * content, then merged oldest first so the latest word on a field wins. `amended` is
 * each correction's own data as later corrections of it left it.
 */
export const resolveCorrectionsWithAmendments = (
  corrections: readonly CorrectionRecord[],
): { resolved: Map<string, Overlay>; amended: Map<string, EventData<'EntryCorrected'>> } => {
  const overlays = new Map<string, Overlay>();
  const amended = new Map<string, EventData<'EntryCorrected'>>();
  const effective: { eventId: string; target: string; changes: Overlay; effectiveOn: string | undefined }[] = [];
  for (const correction of [...corrections].reverse()) {
    // A correction of this correction may have replaced any of its fields, so they are read as it left them.
    const data = { ...correction.data, ...overlays.get(correction.eventId) } as EventData<'EntryCorrected'>;
    amended.set(correction.eventId, data);
    effective.unshift({
      eventId: correction.eventId,
      target: data.correctedEventId,
      changes: data.changes,
      effectiveOn: data.correctedEffectiveOn,
    });
    overlays.set(data.correctedEventId, { ...data.changes, ...overlays.get(data.correctedEventId) });
  }
  const correctionIds = new Set(effective.map((c) => c.eventId));
  const resolved = new Map<string, Overlay>();
  for (const c of effective) {
    // A correction's own business date is never corrected (the decider refuses it), so only
    // corrections of other events carry a date into the overlay.
    if (correctionIds.has(c.target)) continue;
    const date = c.effectiveOn === undefined ? {} : { [EFFECTIVE_ON]: c.effectiveOn };
    resolved.set(c.target, { ...resolved.get(c.target), ...c.changes, ...date });
  }
  return { resolved, amended };
};

/** The changes in force on each corrected event, with any corrected business date under EFFECTIVE_ON. */
export const resolveCorrections = (corrections: readonly CorrectionRecord[]): Map<string, Overlay> =>
  resolveCorrectionsWithAmendments(corrections).resolved;
