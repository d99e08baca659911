import fc from 'fast-check';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import { planStream } from '../../events/streams.ts';
import { londonDay } from '../../src/domain/calendar.ts';
import { DomainError } from '../../src/domain/errors.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import type { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { collect } from '../support/collect.ts';
import { command, correctableField } from './random-commands.ts';

/**
 * Random histories of a few plans for the time-travel property test, recorded through the real command handler:
 * commands taking effect today or earlier, corrections of text, of business dates and of deadlines, deadline
 * revisions, completions, retractions and reinstatements.
 */

const actor = { id: 'u1', name: 'Sam Auditor', organisation: 'Dorset CCG', role: 'operator' };
/**
 * Plans registered at the start; two more are registered halfway, so some clocks come before them. Their ids sort before
 * and among the first plans': a plan not listed at a clock must never push a listed one off a page.
 */
export const FIRST_PLANS = ['plan-a', 'plan-b', 'plan-c'];
export const PLANS = [...FIRST_PLANS, 'plan-0', 'plan-bb'];
export const START = Date.parse('2026-01-01T09:00:00.000Z');

const month = fc
  .tuple(fc.integer({ min: 2014, max: 2025 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
const day = fc.tuple(month, fc.integer({ min: 1, max: 28 })).map(([m, d]) => `${m}-${String(d).padStart(2, '0')}`);
const businessDate = fc.oneof(month, day);

/**
 * When a command took effect: today (most often, so parts are recorded in order), some days before, the month
 * of some days before (this month too: a month-dated fact recorded within its month counts from the day it was
 * recorded), or any earlier date.
 */
type When = { kind: 'today' } | { kind: 'daysBefore' | 'monthOf'; days: number } | { kind: 'date'; date: string };
const when: fc.Arbitrary<When> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'today' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('daysBefore' as const), days: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('monthOf' as const), days: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('date' as const), date: businessDate }) },
);

/** The shared random commands, and now and then a plan retracted (refusing everything after) or reinstated. */
const planCommand: fc.Arbitrary<PlanCommand> = fc.oneof(
  { weight: 24, arbitrary: command },
  { weight: 1, arbitrary: fc.constant<PlanCommand>({ type: 'RetractPlan', data: { reason: 'Imported by mistake' } }) },
  { weight: 3, arbitrary: fc.constant<PlanCommand>({ type: 'ReinstatePlan', data: { reason: 'Imported as intended' } }) },
);

/**
 * The business date a correction sets: any earlier date, or the month of some days before (this month too: a
 * month a correction sets within it counts from the day the correction was recorded).
 */
type CorrectedDate = { kind: 'date'; date: string } | { kind: 'monthOf'; days: number };
const correctedDate: fc.Arbitrary<CorrectedDate> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('date' as const), date: businessDate }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('monthOf' as const), days: fc.integer({ min: 0, max: 40 }) }) },
);

/** The date a `When` names, at the instant `now` (undefined for today). */
const dateOf = (when: When, now: number): string | undefined =>
  when.kind === 'today'
    ? undefined
    : when.kind === 'date'
      ? when.date
      : when.kind === 'monthOf'
        ? londonDay(new Date(now - when.days * 86_400_000)).slice(0, 7)
        : londonDay(new Date(now - when.days * 86_400_000));

export type Step =
  | { kind: 'command'; planId: string; command: PlanCommand; when: When; minutes: number }
  | { kind: 'correct'; planId: string; pick: number; text: string | undefined; date: CorrectedDate | undefined; how: How; minutes: number };

/**
 * How a correction is made, where dates are corrected: the entry's text (and date), a completion's date
 * alone, a deadline (an agreement's `due` or a revision's `to`), or, of a correction, its changes and date
 * amended or it redirected to another entry of its type.
 */
type How = 'text' | 'completion-date' | 'deadline' | 'amend' | 'redirect';

/** A step on one of `plans`, recorded `minutes` after the one before. */
const stepOn = (plans: string[], minutes: fc.Arbitrary<number>): fc.Arbitrary<Step> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('command' as const),
        planId: fc.constantFrom(...plans),
        command: planCommand,
        when,
        minutes,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('correct' as const),
        planId: fc.constantFrom(...plans),
        pick: fc.nat(),
        text: fc.option(fc.constantFrom('Typed again', 'Corrected wording'), { nil: undefined }),
        date: fc.option(correctedDate, { nil: undefined }),
        how: fc.constantFrom<How>('text', 'text', 'completion-date', 'deadline', 'deadline', 'amend', 'redirect'),
        minutes,
      }),
    },
  );

/**
 * Histories recorded in the order things happened (effectiveOn today) and long after (a business date), with corrections
 * of text and of dates, deadline revisions, completions, retractions and reinstatements.
 */
export const randomHistory = fc.array(stepOn(PLANS, fc.integer({ min: 1, max: 60 * 24 * 20 })), { minLength: 15, maxLength: 60 });

/**
 * Long histories of two plans, a few days between steps: enough events that each plan's history runs from one block of
 * changes into the next on both clocks (storage/line-blocks.ts), where the short histories above stay within one. Most
 * random commands are refused on a plan without the actions they name, so most steps are progress updates on the
 * recommendation every plan records when registered, mostly in business order; the rest are the random steps above,
 * and reinstatements.
 */
const LONG_PLANS = ['plan-a', 'plan-b'];
const longMinutes = fc.integer({ min: 1, max: 60 * 24 * 3 });
const updateOnTheRecommendation: fc.Arbitrary<Step> = fc.record({
  kind: fc.constant('command' as const),
  planId: fc.constantFrom(...LONG_PLANS),
  command: fc.constant<PlanCommand>({
    type: 'RecordProgressUpdate',
    data: { target: { kind: 'recommendation', ref: 'R1' }, narrative: 'Street triage pilot reviewed', metrics: [] },
  }),
  when: fc.oneof(
    { weight: 4, arbitrary: fc.constant<When>({ kind: 'today' }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('daysBefore' as const), days: fc.integer({ min: 1, max: 60 }) }) },
  ),
  minutes: longMinutes,
});
/** A plan reinstated (refused unless it stands retracted): a retraction among the random steps lasts a few steps, not most of the history. */
const reinstatement: fc.Arbitrary<Step> = fc.record({
  kind: fc.constant('command' as const),
  planId: fc.constantFrom(...LONG_PLANS),
  command: fc.constant<PlanCommand>({ type: 'ReinstatePlan', data: { reason: 'Imported as intended' } }),
  when: fc.constant<When>({ kind: 'today' }),
  minutes: longMinutes,
});
export const longHistory = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: updateOnTheRecommendation },
    { weight: 2, arbitrary: stepOn(LONG_PLANS, longMinutes) },
    { weight: 1, arbitrary: reinstatement },
  ),
  { minLength: 280, maxLength: 340 },
);

/**
 * The changes of a correction that moves a date other than by `correctedEffectiveOn` on its target: a
 * completion's date alone, a deadline as agreed or as revised to (the date taken for a deadline), a
 * correction's changes and date amended, or a correction redirected to another entry of the type it
 * corrects. Undefined for a plain correction.
 */
const datedCorrection = (
  step: Extract<Step, { kind: 'correct' }>,
  date: string | undefined,
  target: StoredEvent,
  events: StoredEvent[],
  now: number,
): { changes: Record<string, unknown> } | undefined => {
  if (step.how === 'completion-date' && target.type === 'ActionCompleted' && date !== undefined) return { changes: { completedOn: date } };
  // A deadline is corrected to a date whether or not the step moves a business date: this month's, without one.
  if (step.how === 'deadline' && (target.type === 'ActionAgreed' || target.type === 'DeadlineRevised'))
    return {
      changes: { [target.type === 'ActionAgreed' ? 'due' : 'to']: { kind: 'date', date: date ?? londonDay(new Date(now)).slice(0, 7) } },
    };
  if (target.type !== 'EntryCorrected') return undefined;
  const corrects = target.data as { correctedEventId: string; correctedType: string };
  if (step.how === 'redirect') {
    const others = events.filter((e) => e.type === corrects.correctedType && e.eventId !== corrects.correctedEventId);
    return others.length === 0 ? undefined : { changes: { correctedEventId: others[step.pick % others.length]!.eventId } };
  }
  if (step.how !== 'amend' || date === undefined) return undefined;
  // A completion's two dates move together, in the changes and as the business date.
  const changes = corrects.correctedType === 'ActionCompleted' ? { changes: { completedOn: date } } : {};
  return { changes: { ...changes, correctedEffectiveOn: date } };
};

/**
 * Runs the steps through the real command handler on a real ledger file, calling `midway` once half of them are recorded;
 * returns the instant the last was recorded at.
 */
export const recordHistory = async (store: SqliteEventStore, steps: Step[], correctDates: boolean, midway: () => Promise<void>) => {
  let now = START;
  const handle = createCommandHandler({ store, clock: () => new Date(now) });
  let n = 0;
  const run = async (planId: string, cmd: PlanCommand, effectiveOn: string | undefined) => {
    try {
      await handle(planId, cmd, { actor, commandId: `c${n++}`, correlationId: 'prop', provenance: { source: 'api' }, effectiveOn });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  };
  const register = async (planIds: string[]) => {
    for (const planId of planIds) {
      now += 60_000;
      await run(
        planId,
        { type: 'RegisterPlan', data: { planId, title: planId, kind: 'other', owner: 'Dorset CCG', ragLegend: [] } },
        '2014-06',
      );
      await run(planId, { type: 'RecordRecommendation', data: { ref: 'R1', text: 'Street triage', addressedTo: ['SWAST'] } }, '2014-06');
    }
  };
  await register(FIRST_PLANS);
  for (const [i, step] of steps.entries()) {
    if (i === Math.floor(steps.length / 2)) {
      await midway();
      await register(PLANS.filter((planId) => !FIRST_PLANS.includes(planId)));
    }
    now += step.minutes * 60_000;
    if (step.kind === 'command') {
      const effectiveOn = step.command.type === 'CompleteAction' ? undefined : dateOf(step.when, now);
      await run(step.planId, step.command, effectiveOn);
      continue;
    }
    // A correction made other than by its text is of an entry it applies to, where the plan has one.
    const aimedAt: string[] = {
      text: [],
      'completion-date': ['ActionCompleted'],
      deadline: ['ActionAgreed', 'DeadlineRevised'],
      amend: ['EntryCorrected'],
      redirect: ['EntryCorrected'],
    }[step.how];
    // A deadline is corrected on the first plan, the step's own first, that has one: few plans of a short history agree
    // an action, and otherwise few deadlines would ever be corrected. It moves no business date, so it is corrected in
    // the histories that correct none too, whose reads at a business date take the fast path (business-clock-doc.ts).
    const aiming = correctDates || step.how === 'deadline';
    const planIds = step.how === 'deadline' ? [step.planId, ...PLANS.filter((p) => p !== step.planId)] : [step.planId];
    let planId = step.planId;
    let events: StoredEvent[] = [];
    let aimed: StoredEvent[] = [];
    for (const id of planIds) {
      const found = await collect(store.readStream(planStream(id)));
      const hits = aiming ? found.filter((e) => aimedAt.includes(e.type)) : [];
      if (id === step.planId || hits.length > 0) [planId, events, aimed] = [id, found, hits];
      if (hits.length > 0) break;
    }
    if (events.length === 0) continue; // a plan not registered yet has nothing to correct
    const candidates = aimed.length > 0 ? aimed : events;
    const target = candidates[step.pick % candidates.length]!;
    const field = correctableField[target.type];
    const stepDate = step.date && dateOf(step.date, now);
    const dated = aiming ? datedCorrection(step, stepDate, target, events, now) : undefined;
    const changes = dated?.changes ?? (step.text !== undefined && field ? { [field]: step.text } : {});
    const date = target.type === 'EntryCorrected' || !correctDates || dated ? undefined : stepDate;
    if (Object.keys(changes).length === 0 && date === undefined) continue;
    await run(
      planId,
      {
        type: 'CorrectEntry',
        data: { correctedEventId: target.eventId, changes, ...(date ? { correctedEffectiveOn: date } : {}), reason: 'Typed wrongly' },
      },
      undefined,
    );
  }
  return now;
};
