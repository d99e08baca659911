import { describe, expect, it } from 'vitest';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import type { PlanFact, RegisteredPlan } from '../../src/domain/plan/state.ts';
import { dorsetLike, fact, fold, given } from './given-when-then.ts';

/**
 * A correction may move the corrected event's business date (correctedEffectiveOn). The
 * moved date must be a real date, not after today, and the event's own rules must still
 * hold with it; the decider's fold then reads the event at its corrected date.
 */
const correctDate = (event: PlanFact, correctedEffectiveOn: string, changes: Record<string, unknown> = {}): PlanCommand => ({
  type: 'CorrectEntry',
  data: { correctedEventId: event.eventId, changes, correctedEffectiveOn, reason: 'Date typed wrong' },
});
const correction = (event: PlanFact, data: Record<string, unknown>) =>
  fact('EntryCorrected', { correctedEventId: event.eventId, correctedType: event.type, changes: {}, reason: 'Typed wrong', ...data });

describe('correcting an entry’s business date', () => {
  const history = dorsetLike();
  const agreed = history[3]!;
  const update = fact(
    'ProgressUpdateRecorded',
    { target: { kind: 'action', ref: '1.3' }, narrative: 'Mapping under way', metrics: [] },
    '2015-09',
  );
  const completed = fact('ActionCompleted', { ref: '1.3', completedOn: '2017-08' }, '2017-08');

  it('is accepted with no data changes, and records the corrected date', () =>
    given([...history, update])
      .when(correctDate(update, '2015-09-14'))
      .then([{ type: 'EntryCorrected', data: { correctedEventId: update.eventId, changes: {}, correctedEffectiveOn: '2015-09-14' } }]));

  it('may go with data changes in the same correction', () =>
    given([...history, completed])
      .when(correctDate(completed, '2017-09', { completedOn: '2017-09' }))
      .then([{ type: 'EntryCorrected', data: { changes: { completedOn: '2017-09' }, correctedEffectiveOn: '2017-09' } }]));

  it('of a completion moves its completion date with it, and a corrected completion date moves the business date', () => {
    given([...history, completed])
      .when(correctDate(completed, '2017-09-12'))
      .then([{ type: 'EntryCorrected', data: { changes: { completedOn: '2017-09-12' }, correctedEffectiveOn: '2017-09-12' } }]);
    given([...history, completed])
      .when({
        type: 'CorrectEntry',
        data: { correctedEventId: completed.eventId, changes: { completedOn: '2017-07' }, reason: 'Wrong month' },
      })
      .then([{ type: 'EntryCorrected', data: { changes: { completedOn: '2017-07' }, correctedEffectiveOn: '2017-07' } }]);
  });

  it('of a completion may not differ from the completion date given with it', () =>
    given([...history, completed])
      .when(correctDate(completed, '2017-09', { completedOn: '2017-10' }))
      .thenFails('completion-dates-differ', 422));

  it('must be a real calendar date', () =>
    given([...history, update])
      .when(correctDate(update, '2015-09-31'))
      .thenFails('invalid-correction', 422));

  it('may not be after today', () =>
    given([...history, update])
      .when(correctDate(update, '2030-01'))
      .thenFails('effective-date-in-future', 422));

  it('is not named in changes: the date is not a data field', () =>
    given([...history, update])
      .when({ type: 'CorrectEntry', data: { correctedEventId: update.eventId, changes: { effectiveOn: '2015-08' }, reason: 'x' } })
      .thenFails('not-a-data-field', 422));

  it('a completion’s date may not move before the action was agreed', () =>
    given([...history, completed])
      .when(correctDate(completed, '2014-12'))
      .thenFails('completion-before-agreement', 422));

  it('an agreement’s date may not move after the action’s completion', () =>
    given([...history, completed])
      .when(correctDate(agreed, '2018-01'))
      .thenFails('completion-before-agreement', 422));

  it('an update’s date may not move before its action was agreed, though it may move into the agreement’s month', () => {
    given([...history, update])
      .when(correctDate(update, '2014-09'))
      .thenFails('dated-before-agreement', 422);
    given([...history, update])
      .when(correctDate(update, '2015-06-01'))
      .then([{ type: 'EntryCorrected' }]);
  });

  it('an agreement’s date may not move after an update, a revision or evidence of its action', () => {
    const revised = fact(
      'DeadlineRevised',
      { ref: '1.3', from: agreed.data, to: { kind: 'date', date: '2016-03' }, reason: 'Late' },
      '2015-11',
    );
    given([...history, update])
      .when(correctDate(agreed, '2015-10'))
      .thenFails('agreement-after-entries', 422);
    given([...history, revised])
      .when(correctDate(agreed, '2015-12'))
      .thenFails('agreement-after-entries', 422);
    given([...history, update, revised])
      .when(correctDate(agreed, '2015-09-30'))
      .then([{ type: 'EntryCorrected' }]);
  });

  it('an agreement’s date may move when the only entry it would pass was dated before it already, as recorded before the rule', () => {
    const early = fact(
      'ProgressUpdateRecorded',
      { target: { kind: 'action', ref: '1.3' }, narrative: 'Typed as 2001', metrics: [] },
      '2001-01',
    );
    given([...history, early])
      .when(correctDate(agreed, '2015-05'))
      .then([{ type: 'EntryCorrected' }]);
  });

  it('an agreement’s date may move while its completion still follows it', () =>
    given([...history, completed])
      .when(correctDate(agreed, '2015-07-01'))
      .then([{ type: 'EntryCorrected' }]));

  it('a correction’s own date is not corrected', () => {
    const first = correction(update, { changes: { narrative: 'Mapping begun' } });
    given([...history, update, first])
      .when(correctDate(first, '2015-09'))
      .thenFails('correction-date-not-correctable', 422);
  });

  it('the decider folds the agreement at its corrected date, so completion is checked against it', () => {
    const moved = correction(agreed, { correctedEffectiveOn: '2017-09' });
    const plan = fold([...history, moved]) as RegisteredPlan;
    expect(plan.actions.get('1.3')!.agreedOn).toBe('2017-09');
    given([...history, moved])
      .when({ type: 'CompleteAction', data: { ref: '1.3', completedOn: '2017-08' } })
      .thenFails('completion-before-agreement', 422);
  });

  describe('through a correction of a correction', () => {
    const first = correction(completed, { changes: { completedOn: '2017-09' }, correctedEffectiveOn: '2017-09' });
    const withFirst = [...history, completed, first];
    const amend = (changes: Record<string, unknown>): PlanCommand => ({
      type: 'CorrectEntry',
      data: { correctedEventId: first.eventId, changes, reason: 'Still wrong' },
    });
    /** A completion's two dates, amended together as they must be. */
    const both = (date: string) => ({ correctedEffectiveOn: date, changes: { completedOn: date } });

    it('the corrected date may be amended within the rules', () =>
      given(withFirst)
        .when(amend(both('2017-10-02')))
        .then([{ type: 'EntryCorrected' }]));
    it('an amended date is held to the event’s rules', () => {
      given(withFirst)
        .when(amend(both('2014-01')))
        .thenFails('completion-before-agreement', 422);
      given(withFirst)
        .when(amend(both('2031-01')))
        .thenFails('completion-in-future', 422);
      given(withFirst)
        .when(amend(both('soon')))
        .thenFails('invalid-correction', 422);
    });
    it('an amendment may not part a completion’s date from its business date', () => {
      given(withFirst)
        .when(amend({ correctedEffectiveOn: '2017-10-02' }))
        .thenFails('completion-dates-differ', 422);
      given(withFirst)
        .when(amend({ changes: { completedOn: '2017-10-02' } }))
        .thenFails('completion-dates-differ', 422);
    });
    it('a later amendment wins in the fold', () => {
      const second = correction(first, { changes: both('2017-10') });
      const plan = fold([...withFirst, second]) as RegisteredPlan;
      expect(plan.corrections.get(completed.eventId)).toEqual({ completedOn: '2017-10', effectiveOn: '2017-10' });
    });
  });
});
