import { isDeepStrictEqual } from 'node:util';
import { effectiveOn as effectiveOnOf } from '../../events/business-date.ts';
import { datesSetBy, dayCountedFrom, type DatedCorrection } from '../clocks/select-facts.ts';
import { countsFromAfterSubject, type BroughtIn } from '../clocks/subjects-first.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import { summaryOf } from './describe.ts';
import type { Change, CorrectionEffect } from './correction-words.ts';
import { subjectOf, type Subject } from '../fact-subject.ts';
import {
  EFFECTIVE_ON,
  laidByCorrection,
  resolveCorrectionsWithAmendments,
  splitOverlay,
  type Overlay,
} from '../../src/domain/correction-overlay.ts';

// Defined beside the words that say it (correction-words.ts), which the timeline imports: one type, no import cycle.
export type { Change };

export interface TimelineEntry {
  position: string;
  revision: number;
  eventId: string;
  type: string;
  recordedAt: string;
  /** The business date, as corrected when a correction has moved it: what `?order=effective` sorts by. */
  effectiveOn: { date: string; precision: 'day' | 'month' };
  /** The date the event was recorded with, when a correction has since moved it; otherwise null. */
  recordedEffectiveOn: { date: string; precision: 'day' | 'month' } | null;
  recordedBy: { name: string; organisation: string; role: string };
  about: { kind: 'plan' | 'section' | 'recommendation' | 'action'; ref: string | null };
  /** The organisations leading the action at the time, normalised through the alias table. */
  organisations: string[];
  summary: string;
  changes: Change[];
  reason: string | null;
  correctedEventId: string | null;
}

/** What the fold remembers between events: each event's data as corrected so far, and each action's lead. */
export interface TimelineState {
  entries: TimelineEntry[];
  /** Each event's data as recorded, and as the corrections in force leave it (what a correction's "before" is). */
  byEvent: Map<
    string,
    { about: TimelineEntry['about']; recorded: Record<string, unknown>; data: Record<string, unknown>; entry: TimelineEntry }
  >;
  leads: Map<string, string[]>;
  /** Every correction so far, to work out the business dates in force and when each was set. */
  corrections: DatedCorrection[];
  /** What they put in force, kept between corrections so that most are laid without working all out again. */
  inForce: CorrectionsInForce;
}

type CorrectionsInForce = ReturnType<typeof resolveCorrectionsWithAmendments>;

export const initialTimeline = (): TimelineState => ({
  entries: [],
  byEvent: new Map(),
  leads: new Map(),
  corrections: [],
  inForce: { resolved: new Map(), amended: new Map() },
});

const changesOf = (fact: LedgerFact, state: TimelineState): Change[] => {
  switch (fact.type) {
    case 'DeadlineRevised':
      // The deadlines as the event holds them (kind, date, the document's words), as a correction of one gives them too.
      return [{ field: 'due', before: fact.data.from, after: fact.data.to }];
    case 'PlanOwnerChanged':
      return [{ field: 'owner', before: fact.data.from, after: fact.data.to }];
    case 'ActionLeadChanged': {
      const changes: Change[] = [{ field: 'leadOrganisations', before: fact.data.from, after: fact.data.to }];
      if (fact.data.partnersTo)
        changes.push({ field: 'partnerOrganisations', before: fact.data.partnersFrom ?? [], after: fact.data.partnersTo });
      return changes;
    }
    case 'EntryCorrected': {
      const corrected = state.byEvent.get(fact.data.correctedEventId);
      const data = corrected?.data ?? {};
      // What the correction lays, as the decider and the views read it: a completion's two dates move together.
      const { fields, effectiveOn } = splitOverlay(laidByCorrection(fact.data));
      const changes = Object.entries(fields).map(([field, after]) => ({ field, before: data[field] ?? null, after }));
      if (effectiveOn !== undefined)
        changes.push({ field: 'effectiveOn', before: corrected?.entry.effectiveOn.date ?? null, after: effectiveOn });
      return changes;
    }
    default:
      return [];
  }
};

/** Shows an entry at its corrected business date (or back at its own), keeping the date it was recorded with. */
const showAt = (entry: TimelineEntry, date: string | undefined): void => {
  const recorded = entry.recordedEffectiveOn ?? entry.effectiveOn;
  entry.effectiveOn = date === undefined ? recorded : effectiveOnOf(date);
  entry.recordedEffectiveOn = entry.effectiveOn.date === recorded.date ? null : recorded;
};

/**
 * What a correction changed of one entry in force, field by field (its date as `effectiveOn`):
 * what its summary says, whether it corrected that entry or, amending or redirecting a
 * correction, changed what stands of one.
 */
const effectOn = (
  held: { about: Subject; entry: TimelineEntry; data: Record<string, unknown> },
  before: { data: Record<string, unknown>; date: string },
): CorrectionEffect => {
  const changes = [...new Set([...Object.keys(before.data), ...Object.keys(held.data)])]
    .filter((field) => !isDeepStrictEqual(before.data[field], held.data[field]))
    .map((field) => ({ field, before: before.data[field] ?? null, after: held.data[field] ?? null }));
  if (before.date !== held.entry.effectiveOn.date)
    changes.push({ field: 'effectiveOn', before: before.date, after: held.entry.effectiveOn.date });
  return { type: held.entry.type, about: held.about, changes };
};

/** Lays an event's overlay in force over its recorded data, re-showing it at its date in force if that moved; says what changed. */
const relay = (
  state: TimelineState,
  eventId: string,
  was: Overlay | undefined,
  now: Overlay | undefined,
  effects: CorrectionEffect[],
): void => {
  const held = state.byEvent.get(eventId);
  if (!held || isDeepStrictEqual(now, was)) return;
  const before = { data: held.data, date: held.entry.effectiveOn.date };
  const { fields, effectiveOn } = splitOverlay({ ...now });
  held.data = { ...held.recorded, ...fields };
  if (effectiveOn !== was?.[EFFECTIVE_ON]) showAt(held.entry, effectiveOn);
  effects.push(effectOn(held, before));
};

/**
 * The data and dates corrections put in force are worked out by the same overlay the decider
 * reads, so a redirected or amended correction changes, or gives back, exactly what the
 * decider's fold and the plan-status view change: each corrected event's data is its recorded
 * data with the fields in force laid over it, and an event whose date in force changed is re-shown.
 *
 * The newest correction of an event that is not itself a correction changes only that event's
 * overlay (the latest word wins, and nothing amends the newest), so it is laid on the overlay
 * kept: working every correction out again at each one made a long plan's timeline grow with the
 * square of its corrections. A correction of a correction may amend or redirect it, so then all
 * are worked out again.
 */
const layCorrections = (state: TimelineState, fact: Extract<LedgerFact, { type: 'EntryCorrected' }>): CorrectionEffect[] => {
  const effects: CorrectionEffect[] = [];
  const before = state.inForce;
  state.corrections.push({ eventId: fact.eventId, data: fact.data, recordedAt: fact.recordedAt });
  const target = fact.data.correctedEventId;
  if (!before.amended.has(target)) {
    const was = before.resolved.get(target);
    const now = { ...was, ...laidByCorrection(fact.data) };
    before.resolved.set(target, now);
    before.amended.set(fact.eventId, fact.data);
    relay(state, target, was, now, effects);
    return effects;
  }
  const after = resolveCorrectionsWithAmendments(state.corrections);
  state.inForce = after;
  for (const eventId of new Set([...before.resolved.keys(), ...after.resolved.keys()]))
    relay(state, eventId, before.resolved.get(eventId), after.resolved.get(eventId), effects);
  // A correction's own data, as corrections of it (at any depth) amend it.
  for (const [eventId, amended] of after.amended) {
    const held = state.byEvent.get(eventId);
    if (held && !isDeepStrictEqual(amended, before.amended.get(eventId))) held.data = amended as unknown as Record<string, unknown>;
  }
  return effects;
};

/**
 * The timeline fold: one readable entry per event. It is folded from the plan's own
 * stream when read (live or at the clocks), so there is exactly one implementation
 * and nothing to keep in step: the entries are the events, rendered.
 *
 * A fact that does not count at the effectiveOn read at (`counts` false) gives no entry and
 * leads no action, but is remembered: a correction counts at every business date, and its entry
 * still names what it corrects, and the date it moved, when that does not count there.
 */
export const evolveTimeline = (
  state: TimelineState,
  fact: LedgerFact,
  canonical: (name: string) => string,
  counts = true,
): TimelineState => {
  if (state.byEvent.has(fact.eventId)) return state; // already applied: a replay changes nothing
  const corrected = fact.type === 'EntryCorrected' ? state.byEvent.get(fact.data.correctedEventId) : undefined;
  const about = corrected?.about ?? subjectOf(fact);
  const changes = changesOf(fact, state);
  if (counts && fact.type === 'ActionAgreed') state.leads.set(fact.data.ref, fact.data.leadOrganisations);
  if (counts && fact.type === 'ActionLeadChanged') state.leads.set(fact.data.ref, fact.data.to);
  const effects = fact.type === 'EntryCorrected' ? layCorrections(state, fact) : undefined;
  const leads = about.kind === 'action' && about.ref !== null ? (state.leads.get(about.ref) ?? []) : [];
  const reason = 'reason' in fact.data && typeof fact.data.reason === 'string' ? fact.data.reason : null;
  const entry: TimelineEntry = {
    position: String(fact.position),
    revision: fact.revision,
    eventId: fact.eventId,
    type: fact.type,
    recordedAt: fact.recordedAt,
    effectiveOn: fact.effectiveOn,
    recordedEffectiveOn: null,
    recordedBy: { name: fact.actor.name, organisation: canonical(fact.actor.organisation), role: fact.actor.role },
    about,
    organisations: [...new Set(leads.map(canonical))],
    summary: summaryOf(fact, effects),
    changes,
    reason,
    correctedEventId: fact.type === 'EntryCorrected' ? fact.data.correctedEventId : null,
  };
  state.byEvent.set(fact.eventId, {
    about,
    recorded: fact.data as Record<string, unknown>,
    data: fact.data as Record<string, unknown>,
    entry,
  });
  if (counts) state.entries.push(entry);
  return state;
};

export type TimelineOrder = 'recorded' | 'effective';

/**
 * The day the business clock counts an entry from (clocks.ts, `countsFrom`), given the timeline
 * it belongs to: from the date in force, told when the entry was recorded or, for a date
 * corrections set (even back to the date recorded), when the one that last changed it was; and
 * no earlier than the agreement of the action it is about, or the recording of its
 * recommendation (subjects-first.ts).
 */
export const entryCountsFrom = (state: Pick<TimelineState, 'corrections' | 'byEvent'>) => {
  const set = datesSetBy(state.corrections, (eventId) => {
    const entry = state.byEvent.get(eventId)?.entry;
    return entry && { date: (entry.recordedEffectiveOn ?? entry.effectiveOn).date, recordedAt: entry.recordedAt };
  });
  // Every entry recorded, in ledger order, so an agreement is met before what is about its action.
  const days = new Map<string, string>();
  const broughtIn: BroughtIn<string> = {};
  for (const [eventId, { entry }] of state.byEvent) {
    const own = dayCountedFrom(entry.effectiveOn.date, entry.recordedAt, set.get(eventId));
    days.set(eventId, countsFromAfterSubject(broughtIn, entry.type, entry.about, own));
  }
  return (entry: TimelineEntry): string => days.get(entry.eventId)!;
};

/**
 * Ordered by when the ledger learned each thing, or by when it happened (ties keep recorded
 * order). "When it happened" is the day the business clock counts the entry from, so the order
 * agrees with `effectiveOn`: "August 2017", recorded after the month, comes after "14 August
 * 2017", as at `effectiveOn=2017-08-14` only the second counts. `state` is the timeline's.
 */
export const orderTimeline = (
  entries: TimelineEntry[],
  order: TimelineOrder,
  state: Pick<TimelineState, 'corrections' | 'byEvent'>,
): TimelineEntry[] => {
  if (order === 'recorded') return entries;
  const dayOf = entryCountsFrom(state);
  return entries
    .map((entry, i) => ({ entry, i, day: dayOf(entry) }))
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.i - b.i))
    .map((x) => x.entry);
};

export const actionTimeline = (entries: TimelineEntry[], ref: string) =>
  entries.filter((e) => e.about.kind === 'action' && e.about.ref === ref);

/**
 * One page of an ordered timeline: the entries after the one at position `after` (a cursor
 * from the previous page's `next`), at most `limit` of them. A cursor names an entry, not an
 * offset, so entries recorded since the first page do not shift the next one; pin `asOf` to
 * walk exactly the timeline as it stood. Undefined when `after` names no entry here.
 */
export const timelinePage = (ordered: TimelineEntry[], after: string | undefined, limit: number | undefined) => {
  let start = 0;
  if (after !== undefined) {
    const at = ordered.findIndex((entry) => entry.position === after);
    if (at < 0) return undefined;
    start = at + 1;
  }
  const end = limit === undefined ? ordered.length : Math.min(ordered.length, start + limit);
  return { entries: ordered.slice(start, end), next: end < ordered.length && end > start ? ordered[end - 1]!.position : null };
};
