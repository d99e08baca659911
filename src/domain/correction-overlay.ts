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

type Laying = Pick<EventData<'EntryCorrected'>, 'correctedType' | 'changes' | 'correctedEffectiveOn'>;

/**
 * What one correction (as later corrections of it left it) lays over the event it corrects: its
 * changes, and the business date it sets under EFFECTIVE_ON. A completion's business date is its
 * completion date, so there either one moves the other: the decider stores both (correct-entry.ts),
 * and one recorded with a single date is read the same way, so no completion counts on the
 * business clock at a date other than the one it shows. Two different dates stand as given (the
 * decider refuses to record them).
 */
export const laidByCorrection = (data: Laying): Overlay => {
  const laid: Overlay = { ...data.changes };
  if (data.correctedEffectiveOn !== undefined) laid[EFFECTIVE_ON] = data.correctedEffectiveOn;
  if (data.correctedType !== 'ActionCompleted') return laid;
  const completedOn = laid.completedOn;
  if (typeof completedOn === 'string' && !(EFFECTIVE_ON in laid)) laid[EFFECTIVE_ON] = completedOn;
  else if (typeof laid[EFFECTIVE_ON] === 'string' && !('completedOn' in laid)) laid.completedOn = laid[EFFECTIVE_ON];
  return laid;
};

/** Whether a correction may move the business date of the event it corrects (laidByCorrection). */
export const correctionMovesDate = (data: Laying): boolean =>
  data.correctedEffectiveOn !== undefined || (data.correctedType === 'ActionCompleted' && 'completedOn' in data.changes);

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
  const effective: { eventId: string; target: string; laid: Overlay }[] = [];
  for (const correction of [...corrections].reverse()) {
    // A correction of this correction may have replaced any of its fields, so they are read as it left them.
    const data = { ...correction.data, ...overlays.get(correction.eventId) } as EventData<'EntryCorrected'>;
    amended.set(correction.eventId, data);
    effective.unshift({ eventId: correction.eventId, target: data.correctedEventId, laid: laidByCorrection(data) });
    overlays.set(data.correctedEventId, { ...data.changes, ...overlays.get(data.correctedEventId) });
  }
  const correctionIds = new Set(effective.map((c) => c.eventId));
  const resolved = new Map<string, Overlay>();
  for (const c of effective) {
    // A correction's own business date is never corrected (the decider refuses it), so only
    // corrections of other events carry a date into the overlay.
    if (correctionIds.has(c.target)) continue;
    resolved.set(c.target, { ...resolved.get(c.target), ...c.laid });
  }
  return { resolved, amended };
};

/** The changes in force on each corrected event, with any corrected business date under EFFECTIVE_ON. */
export const resolveCorrections = (corrections: readonly CorrectionRecord[]): Map<string, Overlay> =>
  resolveCorrectionsWithAmendments(corrections).resolved;
