import type { Due } from '../../events/business-date.ts';
import { resolveCorrections, type CorrectionRecord } from '../../src/domain/correction-overlay.ts';
import { correctionIndex } from './correction-index.ts';
import { dueDayNumber, recordedAfterShownDeadline } from './dates.ts';
import type { ActionDoc, CorrectionItem, PlanDoc, RevisionNotCounted } from './document.ts';

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

/**
 * What of the plan a revision is weighed against besides its action: the corrections, and what they corrected; and, in
 * a document at a business date, the revisions it leaves out.
 */
export type CorrectionsOf = Pick<PlanDoc, 'corrections' | 'originals' | 'revisionsNotCounted'>;

/**
 * A plan's corrections as the fold resolves them, and by event id the places of those whose chain of corrections (each
 * names the one before, as recorded) ends on it: only these can change what a correction lays on that event, as long as
 * no correction was redirected. Once one has been, any chain may end anywhere, and `redirected` says so. Worked out once
 * per list and length, as a document's corrections are only ever appended, and a line is made at every event of an action.
 */
const reachIndexes = new WeakMap<
  readonly CorrectionItem[],
  { length: number; records: CorrectionRecord[]; reachingBy: Map<string, number[]>; redirected: boolean }
>();
const reachIndex = (corrections: readonly CorrectionItem[]) => {
  const known = reachIndexes.get(corrections);
  if (known && known.length === corrections.length) return known;
  const records = corrections.map((c): CorrectionRecord => ({ eventId: c.eventId, data: c.recorded }));
  const byId = new Map(records.map((r) => [r.eventId, r]));
  const reachingBy = new Map<string, number[]>();
  records.forEach((record, k) => {
    const visited = new Set<string>();
    let r: CorrectionRecord | undefined = record;
    while (r && !visited.has(r.eventId)) {
      visited.add(r.eventId);
      const next = byId.get(r.data.correctedEventId);
      if (!next) {
        const reaching = reachingBy.get(r.data.correctedEventId);
        if (reaching) reaching.push(k);
        else reachingBy.set(r.data.correctedEventId, [k]);
      }
      r = next;
    }
  });
  const redirected = records.some((r) => typeof r.data.changes.correctedEventId === 'string');
  const index = { length: corrections.length, records, reachingBy, redirected };
  reachIndexes.set(corrections, index);
  return index;
};

type Setter = { eventId: string; recordedAt: string; field: 'due' | 'to'; value: Due };

/** A deadline field of an entry as it was recorded: the value a correction replaced (`originals`), or the value itself. */
const asRecorded = (originals: CorrectionsOf['originals'], eventId: string, field: 'due' | 'to' | 'from', value: Due): Due => {
  const original = originals[eventId]?.[field];
  return original && 'value' in original ? (original.value as Due) : value;
};

/**
 * A document's revisions left out at its business date, by action: made once per list, as every revision and closure
 * of every action is weighed with it, and at an early date of a long plan it may name hundreds.
 */
const notCountedByRef = new WeakMap<readonly RevisionNotCounted[], Map<string, RevisionNotCounted[]>>();
const notCountedOf = (notCounted: readonly RevisionNotCounted[] | undefined, ref: string): readonly RevisionNotCounted[] => {
  if (notCounted === undefined) return [];
  let byRef = notCountedByRef.get(notCounted);
  if (!byRef) {
    byRef = new Map();
    for (const revision of notCounted) {
      const ofRef = byRef.get(revision.ref);
      if (ofRef) ofRef.push(revision);
      else byRef.set(revision.ref, [revision]);
    }
    notCountedByRef.set(notCounted, byRef);
  }
  return byRef.get(ref) ?? [];
};

/**
 * The entry that set the deadline the ledger showed just before `entry` (one of the action's revisions, or its closure
 * in force): the last of its revisions before it in the plan's stream (one recorded earlier but dated later among them:
 * the ledger showed its deadline from then), or the agreement. Compared by stream revision, not by list: at a business
 * date, a revision recorded after a closure but dated before the date of the reopening that preceded it is in the view.
 * A document at a business date leaves out the revisions dated after it, so those it names are looked through too.
 */
const setterBefore = (action: ActionDoc, entry: { streamRevision: number }, notCounted: CorrectionsOf['revisionsNotCounted']): Setter => {
  let r: { eventId: string; recordedAt: string; to: Due; streamRevision: number } | undefined;
  for (const revision of action.revisions) if (revision.streamRevision < entry.streamRevision) r = revision;
  for (const revision of notCountedOf(notCounted, action.ref))
    if (revision.streamRevision < entry.streamRevision && revision.streamRevision > (r?.streamRevision ?? -1)) r = revision;
  return r
    ? { eventId: r.eventId, recordedAt: r.recordedAt, field: 'to', value: r.to }
    : { eventId: action.agreed.eventId, recordedAt: action.agreed.recordedAt, field: 'due', value: action.agreed.due };
};

/**
 * The setter's deadline after its own corrections, each as it was recorded (none of them amended), the latest word on the
 * field winning as the fold lays them; and since when its day stood.
 */
const laidAsRecorded = (setter: Setter, recorded: Due, own: readonly CorrectionItem[]): { shown: Due; since: string } => {
  let shown = recorded;
  let since = setter.recordedAt;
  for (const c of own) {
    if (!(setter.field in c.recorded.changes)) continue;
    const value = c.recorded.changes[setter.field] as Due;
    if (dueDayNumber(value) !== dueDayNumber(shown)) since = c.recordedAt;
    shown = value;
  }
  return { shown, since };
};

/**
 * The deadline the ledger showed just before an entry, and since when its day stood: the one `setter` gave as it
 * recorded it, or as the plan's first `before` corrections (those on the ledger before the entry) left it, worked out
 * as the fold works them out, corrections of corrections included (correction-overlay.ts). A correction recorded since,
 * or one amended or taken back since, does not change what the ledger showed then; one that left the day as it was (a
 * deadline's wording tidied) does not move when it came onto the ledger.
 */
const deadlineShownBefore = (setter: Setter, before: number, { corrections, originals }: CorrectionsOf): { shown: Due; since: string } => {
  const recorded = asRecorded(originals, setter.eventId, setter.field, setter.value);
  const index = correctionIndex(corrections);
  if (!index.correctsACorrection) {
    const own = (index.byTarget.get(setter.eventId) ?? []).filter((c) => index.at.get(c.eventId)! < before);
    return laidAsRecorded(setter, recorded, own);
  }
  // A correction of a correction may amend, redirect or take back any earlier one. Only those whose chain ends on the
  // setter can change what it shows (any, once a correction has been redirected): its value is worked out from the
  // corrections before the entry, and, to find since when its day stood, before each of those, latest first, until the
  // day differs. A plan may hold many corrections of corrections, but few end on any one deadline.
  const { records, reachingBy, redirected } = reachIndex(corrections);
  const reaching = redirected
    ? records.slice(0, before).map((_, k) => k)
    : (reachingBy.get(setter.eventId) ?? []).filter((k) => k < before);
  // Only corrections of the setter itself that nothing amends: each as recorded, as on a plan with no corrections of corrections.
  if (reaching.every((k) => records[k]!.data.correctedEventId === setter.eventId && !index.targets.has(records[k]!.eventId)))
    return laidAsRecorded(
      setter,
      recorded,
      reaching.map((k) => corrections[k]!),
    );
  const valueAfter = (count: number): Due => {
    const overlay = resolveCorrections(records.slice(0, count)).get(setter.eventId);
    return overlay && setter.field in overlay ? (overlay[setter.field] as Due) : recorded;
  };
  const shown = valueAfter(before);
  for (const k of reaching.reverse())
    if (dueDayNumber(valueAfter(k)) !== dueDayNumber(shown)) return { shown, since: corrections[k]!.recordedAt };
  return { shown, since: setter.recordedAt };
};

/**
 * The deadline the ledger showed when a revision was recorded, where that deadline had passed by then, the ledger having
 * shown it since before (dates.ts, `recordedAfterShownDeadline`); else null. That deadline is the revision's `from` as
 * recorded (a correction of it since is set aside); it came onto the ledger when its setter (above) was recorded, or a
 * correction of the setter's deadline changed its day, before the revision.
 */
export const deadlinePassedWhenRecorded = (action: ActionDoc, i: number, corrections: CorrectionsOf): Due | null => {
  const revision = action.revisions[i]!;
  const before = revision.recordedAt;
  const shown = asRecorded(corrections.originals, revision.eventId, 'from', revision.from);
  const setter = setterBefore(action, revision, corrections.revisionsNotCounted);
  // A correction of the setter can only bring the deadline's arrival later: the plan's corrections are looked through
  // only for a revision that is one without them (few are), as an action's line is made again at each of its events.
  if (!recordedAfterShownDeadline(before, shown, setter.recordedAt)) return null;
  return recordedAfterShownDeadline(before, shown, deadlineShownBefore(setter, revision.correctionsBefore, corrections).since)
    ? shown
    : null;
};

/**
 * The closure in force when it was recorded after the deadline the ledger showed just before it (above) had passed,
 * that deadline on the ledger by its last day; else null. A closure names no deadline, unlike a revision's `from`, so
 * the one the ledger showed is worked out from when the entries setting the action's deadlines, and corrections of
 * them, were recorded. At a business date, a revision recorded before the closure but dated after that date is not in
 * the view, and is weighed all the same (setterBefore).
 */
export const lateClosure = (action: ActionDoc, corrections: CorrectionsOf): LateClosure | null => {
  const closure = action.closure;
  if (!closure || closure.kind === 'reopened') return null;
  const { shown, since } = deadlineShownBefore(
    setterBefore(action, closure, corrections.revisionsNotCounted),
    closure.correctionsBefore,
    corrections,
  );
  return recordedAfterShownDeadline(closure.recordedAt, shown, since) ? { recordedAt: closure.recordedAt, deadlineShown: shown } : null;
};
