import { describe, it } from 'vitest';
import type { PlanFact } from '../../src/domain/plan/state.ts';
import { dorsetLike, fact, given } from './given-when-then.ts';

/** The plan registered in January 2015; its section, recommendation and action 1.3 agreed in June 2015. */
const planOf2015 = () => dorsetLike().map((f) => (f.type === 'PlanRegistered' ? { ...f, effectiveOn: '2015-01' } : f));
const correctDate = (event: PlanFact, correctedEffectiveOn: string) =>
  ({
    type: 'CorrectEntry',
    data: { correctedEventId: event.eventId, changes: {}, correctedEffectiveOn, reason: 'Date typed wrong' },
  }) as const;
const update = (narrative: string) =>
  ({ type: 'RecordProgressUpdate', data: { target: { kind: 'action', ref: '1.3' }, narrative, metrics: [] } }) as const;

describe('business dates within a plan', () => {
  it('refuse an entry about an action dated before the action was agreed', () =>
    given(planOf2015()).when(update('Mapping begun'), { effectiveOn: '2015-05' }).thenFails('dated-before-agreement', 422));
  it('take a month as reaching its last day, so an entry in the month an action was agreed on a day is accepted', () => {
    const onADay = planOf2015().map((f) => (f.type === 'ActionAgreed' ? { ...f, effectiveOn: '2015-06-20' } : f));
    given(onADay)
      .when(update('Mapping begun'), { effectiveOn: '2015-06' })
      .then([{ type: 'ProgressUpdateRecorded' }]);
  });
  it('refuse anything in a plan dated before the plan was registered', () => {
    given(dorsetLike())
      .when({ type: 'AddSection', data: { sectionRef: '2', title: 'Urgent help' } }, { effectiveOn: '2014-01' })
      .thenFails('dated-before-registration', 422);
    given(planOf2015())
      .when({ type: 'RecordRecommendation', data: { ref: 'R2', text: 'Street triage', addressedTo: [] } }, { effectiveOn: '2001-01' })
      .thenFails('dated-before-registration', 422);
  });
  it('hold a completion to its own rule', () =>
    given(planOf2015())
      .when({ type: 'CompleteAction', data: { ref: '1.3', completedOn: '2015-05' } })
      .thenFails('completion-before-agreement', 422));

  describe('under corrections', () => {
    const history = planOf2015();
    const registration = history[0]!;
    const agreement = history.find((f) => f.type === 'ActionAgreed')!;
    const progress = fact(
      'ProgressUpdateRecorded',
      { target: { kind: 'action', ref: '1.3' }, narrative: 'Mapping begun', metrics: [] },
      '2015-10',
    );
    const withProgress = [...history, progress];

    it("refuse moving an entry's date before its action was agreed, or before the plan was registered", () => {
      given(withProgress).when(correctDate(progress, '2015-05')).thenFails('dated-before-agreement', 422);
      given(history).when(correctDate(history[1]!, '2014-12')).thenFails('dated-before-registration', 422);
    });
    it('refuse moving an agreement after an entry about its action, or a registration after an entry of its plan', () => {
      given(withProgress).when(correctDate(agreement, '2015-11')).thenFails('dated-before-agreement', 422);
      given(history).when(correctDate(registration, '2015-07')).thenFails('dated-before-registration', 422);
    });
    it('accept moving them where every entry still follows', () => {
      given(withProgress)
        .when(correctDate(agreement, '2015-09'))
        .then([{ type: 'EntryCorrected' }]);
      given(withProgress)
        .when(correctDate(registration, '2015-05'))
        .then([{ type: 'EntryCorrected' }]);
    });
  });
});
