import {
  correctionMovesDate,
  EFFECTIVE_ON,
  laidByCorrection,
  resolveCorrections,
  type CorrectionRecord,
} from '../../src/domain/correction-overlay.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import { subjectOf } from '../fact-subject.ts';
import { businessCutoff, countsFrom, isKnowledgeEvent } from './clocks.ts';
import { countsFromAfterSubject, type BroughtIn } from './subjects-first.ts';

/** A business date a correction set, and when the ledger was last told it (clocks.ts, `countsFrom`). */
export interface DateInForce {
  date: string;
  /** When the correction that last changed the entry's date in force to this one was recorded. */
  toldAt: string;
}

/** A recorded correction, with the instant it was recorded. */
export type DatedCorrection = CorrectionRecord & { recordedAt: string };

/** An entry's business date as it was recorded, and when. */
export type RecordedDate = { date: string; recordedAt: string };

/**
 * The entries whose business date in force corrections changed, each with that date and when the
 * ledger was last told it: the recording of the correction after which the entry's date in force
 * (as the decider's own overlay makes it, else the date recorded) last became the one it is now.
 * That is the correction setting it or, through a correction of a correction, amending the date
 * set or redirecting it to (or away from) this entry; one that changes only words, or sets the
 * date already in force, tells nothing new. `corrections` in recording order; `recorded` gives
 * each entry's recorded date.
 */
export const datesSetBy = (
  corrections: readonly DatedCorrection[],
  recorded: (eventId: string) => RecordedDate | undefined,
): Map<string, DateInForce> => {
  const dates = new Map<string, DateInForce>();
  const ids = new Set(corrections.map((c) => c.eventId));
  // The dates the corrections so far set, by entry: all a correction can change of when an entry counts.
  let setDates = new Map<string, string>();
  corrections.forEach((c, k) => {
    let touched: Iterable<string>;
    const target = c.data.correctedEventId;
    if (ids.has(target)) {
      // A correction of a correction may change what any earlier one lays: all are worked out again.
      const before = setDates;
      setDates = new Map();
      for (const [eventId, overlay] of resolveCorrections(corrections.slice(0, k + 1)))
        if (typeof overlay[EFFECTIVE_ON] === 'string') setDates.set(eventId, overlay[EFFECTIVE_ON]);
      touched = new Set([...before.keys(), ...setDates.keys()]);
    } else {
      // The newest correction of an entry that is no correction: nothing amends it, and its word on that entry wins.
      if (!correctionMovesDate(c.data)) return;
      const date = laidByCorrection(c.data)[EFFECTIVE_ON];
      if (typeof date !== 'string') return;
      setDates.set(target, date);
      touched = [target];
    }
    for (const eventId of touched) {
      const own = recorded(eventId);
      if (!own) continue;
      const date = setDates.get(eventId) ?? own.date;
      if (date !== (dates.get(eventId)?.date ?? own.date)) dates.set(eventId, { date, toldAt: c.recordedAt });
    }
  });
  return dates;
};

/** `datesSetBy` over the corrections among one plan's facts (ledger order). */
export const correctedDates = (facts: readonly LedgerFact[]): Map<string, DateInForce> => {
  const corrections = facts.flatMap((f) =>
    f.type === 'EntryCorrected' ? [{ eventId: f.eventId, data: f.data, recordedAt: f.recordedAt }] : [],
  );
  if (corrections.length === 0) return new Map();
  const byId = new Map(facts.map((f) => [f.eventId, f]));
  return datesSetBy(corrections, (eventId) => {
    const fact = byId.get(eventId);
    return fact && { date: fact.effectiveOn.date, recordedAt: fact.recordedAt };
  });
};

/** The day an entry recorded with `date` at `recordedAt` counts from (clocks.ts), at the date a correction set if one did. */
export const dayCountedFrom = (date: string, recordedAt: string, set: DateInForce | undefined): string =>
  set ? countsFrom(set.date, set.toldAt) : countsFrom(date, recordedAt);

/**
 * The facts of one plan that count at an effectiveOn, in ledger order: `facts` are the plan's
 * facts recorded by the `asOf` in question, and each counts when its business date in force
 * (as those facts' corrections set it) had happened by the effectiveOn's last day, and what it is
 * about counts (`countingDays`); corrections count whatever their own date. Folding what this
 * returns with a view's evolve is, by definition, that view at both clocks: the reference every
 * faster path is tested against. The timeline folds every fact recorded by the `asOf` and gives
 * entries for these alone, so a correction names what it corrects where that does not count
 * (timeline/timeline-at.ts).
 */
export const selectByBusinessDate = (facts: readonly LedgerFact[], effectiveOn: string | undefined): LedgerFact[] =>
  effectiveOn === undefined ? [...facts] : facts.filter(countingAt(facts, effectiveOn));

/**
 * The London day each of a plan's facts counts from (`facts`: those recorded by the `asOf` in
 * question, in ledger order): its business date in force, as those facts' corrections set it
 * (`dayCountedFrom`), and no earlier than the agreement of the action it is about, or the
 * recording of its recommendation (subjects-first.ts).
 */
export const countingDays = (facts: readonly LedgerFact[]): Map<LedgerFact, string> => {
  const set = correctedDates(facts);
  const broughtIn: BroughtIn<string> = {};
  return new Map(
    facts.map((fact) => [
      fact,
      countsFromAfterSubject(
        broughtIn,
        fact.type,
        subjectOf(fact),
        dayCountedFrom(fact.effectiveOn.date, fact.recordedAt, set.get(fact.eventId)),
      ),
    ]),
  );
};

/** Whether each of a plan's facts (those recorded by the `asOf` in question) counts at an effectiveOn, by the rule above. */
export const countingAt = (facts: readonly LedgerFact[], effectiveOn: string | undefined): ((fact: LedgerFact) => boolean) => {
  if (effectiveOn === undefined) return () => true;
  const cutoff = businessCutoff(effectiveOn);
  const days = countingDays(facts);
  return (fact) => isKnowledgeEvent(fact.type) || days.get(fact)! <= cutoff;
};
