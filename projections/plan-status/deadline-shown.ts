import type { Due } from '../../events/business-date.ts';
import { resolveCorrections, type CorrectionRecord } from '../../src/domain/correction-overlay.ts';
import { correctionIndex } from './correction-index.ts';
import { dueDayNumber, recordedAfterShownDeadline } from './dates.ts';
import type { ActionDoc, PlanDoc, RevisionItem } from './document.ts';

/**
 * Which deadline the ledger showed for an action at an instant, and since when: what a revision or a closure recorded
 * then is weighed against, to say whether the ledger had shown that deadline pass unmet before it came (plan-lines.ts).
 * Weighed on when entries were recorded, not on their business dates: a correction recorded later changes nothing.
 */

/** A closure recorded after the deadline the ledger showed had passed (`ActionLine.closureRecordedAfterDeadline`). */
export interface LateClosure {
  recordedAt: string;
  deadlineShown: Due;
}

/** What of the plan a revision is weighed against besides its action: the corrections, and what they corrected. */
export type CorrectionsOf = Pick<PlanDoc, 'corrections' | 'originals'>;
export const NO_CORRECTIONS: CorrectionsOf = { corrections: [], originals: {} };

/**
 * The entry that set the deadline the ledger showed just before `before`: the agreement, or the revision last recorded
 * before it (a revision recorded earlier but dated later is among them: the ledger showed its deadline from then).
 */
const setterBefore = (action: ActionDoc, before: string): { eventId: string; recordedAt: string; field: 'due' | 'to'; value: Due } => {
  let setter = {
    eventId: action.agreed.eventId,
    recordedAt: action.agreed.recordedAt,
    field: 'due' as 'due' | 'to',
    value: action.agreed.due,
  };
  for (const r of action.revisions)
    if (r.recordedAt < before && r.recordedAt >= setter.recordedAt)
      setter = { eventId: r.eventId, recordedAt: r.recordedAt, field: 'to', value: r.to };
  return setter;
};

/**
 * The deadline the ledger showed just before `before`, and since when its day stood: the one its setter (above) gave as
 * it recorded it, or as the corrections recorded before then left it — worked out as the fold works them out, each
 * correction of a correction included (correction-overlay.ts). A correction recorded since, or one amended or taken
 * back since, does not change what the ledger showed then; one that left the day as it was (a deadline's wording
 * tidied) does not move when it came onto the ledger.
 */
const deadlineShownBefore = (
  action: ActionDoc,
  before: string,
  { corrections, originals }: CorrectionsOf,
): { shown: Due; since: string } => {
  const setter = setterBefore(action, before);
  const original = originals[setter.eventId]?.[setter.field];
  const asRecorded = original && 'value' in original ? (original.value as Due) : setter.value;
  let shown = asRecorded;
  let since = setter.recordedAt;
  const laid = (value: Due, at: string) => {
    if (dueDayNumber(value) !== dueDayNumber(shown)) since = at;
    shown = value;
  };
  const index = correctionIndex(corrections);
  if (!index.correctsACorrection) {
    // Each correction of the setter as recorded, the latest word on the field winning: only the setter's own are read.
    for (const c of index.byTarget.get(setter.eventId) ?? [])
      if (c.recordedAt < before && setter.field in c.recorded.changes) laid(c.recorded.changes[setter.field] as Due, c.recordedAt);
    return { shown, since };
  }
  // A correction of a correction may amend, redirect or take back any earlier one: the corrections recorded before
  // `before` are worked out again after each that may change the setter's (few plans have any such).
  const prior: CorrectionRecord[] = [];
  for (const c of corrections) {
    if (c.recordedAt >= before) continue;
    prior.push({ eventId: c.eventId, data: c.recorded });
    const target = c.recorded.correctedEventId;
    if (target !== setter.eventId && !index.ids.has(target)) continue;
    const overlay = resolveCorrections(prior).get(setter.eventId);
    laid(overlay && setter.field in overlay ? (overlay[setter.field] as Due) : asRecorded, c.recordedAt);
  }
  return { shown, since };
};

/**
 * Whether a revision was recorded after the deadline the ledger showed then had passed, the ledger having shown it since
 * before (dates.ts, `recordedAfterShownDeadline`). That deadline is the revision's `from` as recorded (a correction of it
 * since is set aside); it came onto the ledger when its setter (above) was recorded, or a correction of the setter's
 * deadline recorded after it and before the revision.
 */
export const recordedAfterShown = (action: ActionDoc, revision: RevisionItem, corrections: CorrectionsOf): boolean => {
  const before = revision.recordedAt;
  const original = corrections.originals[revision.eventId]?.from;
  const shown = original && 'value' in original ? (original.value as Due) : revision.from;
  // A correction of the setter can only bring the deadline's arrival later: the plan's corrections are looked through
  // only for a revision that is one without them (few are), as an action's line is made again at each of its events.
  if (!recordedAfterShownDeadline(before, shown, setterBefore(action, before).recordedAt)) return false;
  return recordedAfterShownDeadline(before, shown, deadlineShownBefore(action, before, corrections).since);
};

/**
 * The closure in force when it was recorded after the deadline the ledger showed just before it (above) had passed,
 * that deadline on the ledger by its last day; else null. A closure names no deadline, unlike a revision's `from`, so
 * the one the ledger showed is worked out from when the entries setting the action's deadlines, and corrections of
 * them, were recorded. At a business date, a revision recorded before the closure but dated after that date is not in
 * the view, so the closure is weighed there against the deadline before it (an edge: a revision agreed after the date
 * the action was closed on).
 */
export const lateClosure = (action: ActionDoc, corrections: CorrectionsOf): LateClosure | null => {
  const closure = action.closure;
  if (!closure || closure.kind === 'reopened') return null;
  const { shown, since } = deadlineShownBefore(action, closure.recordedAt, corrections);
  return recordedAfterShownDeadline(closure.recordedAt, shown, since) ? { recordedAt: closure.recordedAt, deadlineShown: shown } : null;
};
