import { describe, it } from 'vitest';
import type { PlanFact } from '../../src/domain/plan/state.ts';
import { dorsetLike, fact, given } from './given-when-then.ts';

/**
 * A correction is held to the rules the corrected event's own command had to pass,
 * checked against the plan as it stood just before that event; and a correction of a
 * correction is held to them for the event its chain ends on.
 */
const correct = (event: PlanFact, changes: Record<string, unknown>) =>
  ({ type: 'CorrectEntry', data: { correctedEventId: event.eventId, changes, reason: 'Typed wrong' } }) as const;
const correction = (event: PlanFact, changes: Record<string, unknown>) =>
  fact('EntryCorrected', { correctedEventId: event.eventId, correctedType: event.type, changes, reason: 'Typed wrong' });

describe('corrections keep the business rules', () => {
  const completed = fact('ActionCompleted', { ref: '1.3', completedOn: '2017-08' }, '2017-08');
  const withCompletion = [...dorsetLike(), completed];

  it('a completion date corrected within the rules is accepted', () =>
    given(withCompletion)
      .when(correct(completed, { completedOn: '2017-09' }))
      .then([{ type: 'EntryCorrected' }]));
  it('a completion date is not corrected into the future', () =>
    given(withCompletion)
      .when(correct(completed, { completedOn: '2030-01' }))
      .thenFails('completion-in-future', 422));
  it('a completion date is not corrected to before the action was agreed', () =>
    given(withCompletion)
      .when(correct(completed, { completedOn: '2001-01' }))
      .thenFails('completion-before-agreement', 422));

  it('recommendationRefs are corrected only to recommendations of the plan', () => {
    const history = dorsetLike();
    given(history)
      .when(correct(history[3]!, { recommendationRefs: ['R99'] }))
      .thenFails('unknown-recommendation', 422);
  });
  it('recommendationRefs are checked against the plan as it was when the action was agreed', () => {
    const history = [...dorsetLike(), fact('RecommendationRecorded', { ref: 'R2', text: 'Later', addressedTo: [] })];
    given(history)
      .when(correct(history[3]!, { recommendationRefs: ['R2'] }))
      .thenFails('unknown-recommendation', 422);
  });

  it('a subsumption is not corrected into the action itself or an unknown action', () => {
    const subsumed = fact('ActionSubsumed', { ref: '1.3', into: { kind: 'programme', name: 'ACP' }, reason: 'Absorbed' });
    const history = [...dorsetLike(), subsumed];
    given(history)
      .when(correct(subsumed, { into: { kind: 'action', ref: '1.3' } }))
      .thenFails('subsumed-into-itself', 422);
    given(history)
      .when(correct(subsumed, { into: { kind: 'action', ref: '9.9' } }))
      .thenFails('unknown-subsumption-target', 422);
  });

  describe('a deadline revision', () => {
    const revised = fact('DeadlineRevised', {
      ref: '1.3',
      from: { kind: 'date', date: '2015-10', wording: 'October 2015' },
      to: { kind: 'date', date: '2018-03' },
      reason: 'Business case',
    });
    const history = [...dorsetLike(), revised];
    it('is not corrected to the deadline it replaced', () =>
      given(history)
        .when(correct(revised, { to: { kind: 'date', date: '2015-10' } }))
        .thenFails('deadline-unchanged', 409));
    it('keeps "from" as the deadline then in force', () =>
      given(history)
        .when(correct(revised, { from: { kind: 'date', date: '2016-01' } }))
        .thenFails('derived-field', 422));
    it('may have a stale "from" brought into line after the agreed due date was corrected', () => {
      const dueFixed = correction(history[3]!, { due: { kind: 'date', date: '2015-11' } });
      given([...history, dueFixed])
        .when(correct(revised, { from: { kind: 'date', date: '2015-11' } }))
        .then([{ type: 'EntryCorrected' }]);
    });
    it('may have its reason reworded even when its "from" has gone stale', () => {
      const dueFixed = correction(history[3]!, { due: { kind: 'date', date: '2015-11' } });
      given([...history, dueFixed])
        .when(correct(revised, { reason: 'The business case slipped' }))
        .then([{ type: 'EntryCorrected' }]);
    });
  });

  it('a lead change is not corrected into no change, nor its "from" into someone else', () => {
    const changed = fact('ActionLeadChanged', {
      ref: '1.3',
      from: ['Local Authorities', 'Dorset Clinical Commissioning Group'],
      to: ['Dorset HealthCare'],
    });
    const history = [...dorsetLike(), changed];
    given(history)
      .when(correct(changed, { to: ['Dorset Clinical Commissioning Group', 'Local Authorities'] }))
      .thenFails('lead-unchanged', 409);
    given(history)
      .when(correct(changed, { from: ['Somebody else'] }))
      .thenFails('derived-field', 422);
  });
});

describe('a correction of a correction is checked like a first correction of the original event', () => {
  const history = dorsetLike();
  const agreed = history[3]!;
  const first = correction(agreed, { text: 'Mapping services' });
  const withFirst = [...history, first];
  const amend = (changes: Record<string, unknown>) => correct(first, changes);

  it('its new changes may not touch identity fields', () =>
    given(withFirst)
      .when(amend({ changes: { ref: '9.9' } }))
      .thenFails('identity-field', 422));
  it('its new changes must leave the original event valid for its type', () => {
    given(withFirst)
      .when(amend({ changes: { leadOrganisations: 5, due: null } }))
      .thenFails('invalid-correction', 422);
    given(withFirst)
      .when(amend({ changes: { due: 'garbage' } }))
      .thenFails('invalid-correction', 422);
    given(withFirst)
      .when(amend({ changes: { bogus: 1 } }))
      .thenFails('invalid-correction', 422);
  });
  it('it must still change at least one field', () =>
    given(withFirst)
      .when(amend({ changes: {} }))
      .thenFails('invalid-correction', 422));
  it('its new changes must pass the original command’s rules', () =>
    given(withFirst)
      .when(amend({ changes: { recommendationRefs: ['R99'] } }))
      .thenFails('unknown-recommendation', 422));
  it('it may not redirect the correction to an event that is not there or of another type', () => {
    given(withFirst)
      .when(amend({ correctedEventId: '00000000-0000-7000-8000-999999999999' }))
      .thenFails('invalid-correction', 422);
    given(withFirst)
      .when(amend({ correctedEventId: history[1]!.eventId }))
      .thenFails('invalid-correction', 422);
  });
  it('a valid amendment is accepted', () =>
    given(withFirst)
      .when(amend({ changes: { text: 'Mapping of services', recommendationRefs: ['R1'] } }))
      .then([{ type: 'EntryCorrected' }]));
  it('a third-level correction is checked on the event at the end of the chain', () => {
    const second = correction(first, { changes: { text: 'Mapping all services' } });
    const withSecond = [...withFirst, second];
    given(withSecond)
      .when(correct(second, { changes: { changes: { ref: '9.9' } } }))
      .thenFails('identity-field', 422);
    given(withSecond)
      .when(correct(second, { changes: { changes: { due: 'garbage' } } }))
      .thenFails('invalid-correction', 422);
    given(withSecond)
      .when(correct(second, { changes: { changes: { text: 'Mapping every service' } } }))
      .then([{ type: 'EntryCorrected' }]);
  });
  it('an amendment hidden by a later correction of the same event is still checked, so it cannot surface later', () => {
    const second = correction(first, { changes: { text: 'Mapping all services' } });
    const later = correction(first, { changes: { text: 'Mapping every service' } });
    const history3 = [...withFirst, second, later];
    given(history3)
      .when(correct(second, { changes: { changes: { sectionRef: '9' } } }))
      .thenFails('identity-field', 422);
    given(history3)
      .when(correct(second, { changes: { changes: { due: 'garbage' } } }))
      .thenFails('invalid-correction', 422);
    given(history3)
      .when(correct(second, { changes: { changes: { recommendationRefs: ['R99'] } } }))
      .thenFails('unknown-recommendation', 422);
    given(history3)
      .when(correct(second, { changes: { correctedEventId: second.eventId } }))
      .thenFails('correction-loop', 409);
  });
  it('a completion corrected through a correction of its correction still may not be in the future', () => {
    const completed = fact('ActionCompleted', { ref: '1.3', completedOn: '2017-08' }, '2017-08');
    const fixed = correction(completed, { completedOn: '2017-09' });
    given([...history, completed, fixed])
      .when(correct(fixed, { changes: { completedOn: '2031-01' } }))
      .thenFails('completion-in-future', 422);
  });
});
