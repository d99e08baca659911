import { correctionMovesDate } from '../../src/domain/correction-overlay.ts';
import { isKnowledgeEvent } from '../clocks/clocks.ts';
import { countsFromAfterSubject, type BroughtIn } from '../clocks/subjects-first.ts';
import { subjectOf } from '../fact-subject.ts';
import { factDay } from '../history/business-days.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import type { DocumentProjection } from '../runner/projection.ts';

/**
 * The business date of each of a plan's events, by stream revision: what a read of one plan at
 * an `effectiveOn` needs to know which events count without reading them all
 * (../business-clock-doc.ts). A few bytes per event, where the plan's document is a few hundred.
 */
export interface BusinessDatesDoc {
  /**
   * Per revision, the number of the day the event counts from (`factDay`, business-days.ts),
   * or null for an event that counts at every business date (a correction, a retraction, a
   * reinstatement: clocks.ts).
   */
  days: (number | null)[];
  /**
   * True once the days above may not be the ones in force: a correction that may move a
   * business date has been recorded (or an event did not arrive in order). A read then folds
   * the plan's whole stream, as the definition does.
   */
  foldWhole: boolean;
  /**
   * The day each action's agreement and each recommendation's recording counts from: nothing
   * about one counts before it (clocks/subjects-first.ts). Absent in a model folded before that rule.
   */
  broughtIn?: BroughtIn<number>;
  /**
   * The plan's deadline revisions, in order, each as its stream revision and its action's ref: a read at a business
   * date names those it leaves out (plan-status/revisions-not-counted.ts). Absent in a model folded before it was kept.
   */
  deadlineRevisions?: [number, string][];
}

/** A correction that sets a business date, or changes another correction (which may have set one). */
const mayMoveDates = (fact: LedgerFact): boolean =>
  fact.type === 'EntryCorrected' && (correctionMovesDate(fact.data) || fact.data.correctedType === 'EntryCorrected');

/**
 * The day a fact counts from, as recorded (its date not moved by a correction) and no earlier than
 * what it is about, by the agreements and recordings in `broughtIn` (which it adds to); null when it
 * counts at every business date.
 */
export const dayOfFact = (fact: LedgerFact, broughtIn: BroughtIn<number>): number | null =>
  isKnowledgeEvent(fact.type) ? null : countsFromAfterSubject(broughtIn, fact.type, subjectOf(fact), factDay(fact));

const evolveBusinessDates = (doc: BusinessDatesDoc | undefined, fact: LedgerFact): BusinessDatesDoc => {
  const next = doc ?? { days: [], foldWhole: false, broughtIn: {}, deadlineRevisions: [] };
  // A replay of an event already applied changes nothing.
  if (fact.revision < next.days.length) return next;
  if (fact.revision > next.days.length) next.foldWhole = true;
  if (mayMoveDates(fact)) next.foldWhole = true;
  // Kept in place: the list grows by one entry per event, and copying it would cost the square of a plan's events.
  if (next.broughtIn === undefined) {
    // Folded before the rule: the days so far may be early, so the whole stream is read instead.
    next.foldWhole = true;
    next.broughtIn = {};
  }
  next.days[fact.revision] = dayOfFact(fact, next.broughtIn);
  if (fact.type === 'DeadlineRevised') (next.deadlineRevisions ??= []).push([fact.revision, fact.data.ref]);
  return next;
};

export const businessDatesProjection: DocumentProjection<BusinessDatesDoc> = {
  name: 'business-dates',
  // 2: a correction of a completion's date alone moves its business date (correction-overlay.ts).
  // 3: a month-dated fact recorded within its month counts from the day it was recorded (clocks.ts).
  // 4: nothing about an action or a recommendation counts before it does (clocks/subjects-first.ts).
  // 5: the revisions of deadline revisions, for the ones a read at a business date leaves out.
  version: 5,
  keyOf: (fact) => fact.planId,
  evolve: evolveBusinessDates,
};

/** Whether a fact read after the read model's revisions keeps its dates usable (see foldWhole). */
export const keepsDatesInForce = (fact: LedgerFact, expectedRevision: number): boolean =>
  fact.revision === expectedRevision && !mayMoveDates(fact);
