import { describe, it } from 'vitest';
import type { PlanFact } from '../../src/domain/plan/state.ts';
import { dorsetLike, fact, given } from './given-when-then.ts';

const correct = (event: PlanFact, changes: Record<string, unknown>, correctedEffectiveOn?: string) =>
  ({
    type: 'CorrectEntry',
    data: { correctedEventId: event.eventId, changes, reason: 'Typed wrong', ...(correctedEffectiveOn ? { correctedEffectiveOn } : {}) },
  }) as const;
const correction = (event: PlanFact, changes: Record<string, unknown>) =>
  fact('EntryCorrected', { correctedEventId: event.eventId, correctedType: event.type, changes, reason: 'Typed wrong' });

describe('a correction that changes nothing', () => {
  const update = fact(
    'ProgressUpdateRecorded',
    { target: { kind: 'action', ref: '1.3' }, narrative: 'Mapping begun', metrics: [] },
    '2015-10',
  );
  const history = [...dorsetLike(), update];

  it('is refused when it gives a value the entry already has', () =>
    given(history)
      .when(correct(update, { narrative: 'Mapping begun' }))
      .thenFails('correction-changes-nothing', 422));
  it('is refused when it gives the business date the entry already has', () =>
    given(history)
      .when(correct(update, {}, '2015-10'))
      .thenFails('correction-changes-nothing', 422));
  it('is refused when it gives again the value an earlier correction put in force', () => {
    const earlier = correction(update, { narrative: 'Mapping under way' });
    given([...history, earlier])
      .when(correct(update, { narrative: 'Mapping under way' }))
      .thenFails('correction-changes-nothing', 422);
  });
  it('is accepted when it gives back the value an earlier correction replaced', () => {
    const earlier = correction(update, { narrative: 'Mapping under way' });
    given([...history, earlier])
      .when(correct(update, { narrative: 'Mapping begun' }))
      .then([{ type: 'EntryCorrected' }]);
  });
  it('is refused when it amends a correction to what it already says, and accepted when it changes only its reason', () => {
    const earlier = correction(update, { narrative: 'Mapping under way' });
    given([...history, earlier])
      .when(correct(earlier, { changes: { narrative: 'Mapping under way' } }))
      .thenFails('correction-changes-nothing', 422);
    given([...history, earlier])
      .when(correct(earlier, { reason: 'Wording from the October report' }))
      .then([{ type: 'EntryCorrected' }]);
  });
});
