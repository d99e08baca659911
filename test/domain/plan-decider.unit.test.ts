import { describe, it } from 'vitest';
import { dorsetLike, fact, given } from './given-when-then.ts';

const action13 = (data: object = {}) => ({ ref: '1.3', ...data });
const closedBy = (type: 'ActionCompleted' | 'ActionSubsumed' | 'ActionWithdrawn') => {
  const data = {
    ActionCompleted: { ref: '1.3', completedOn: '2017-08' },
    ActionSubsumed: { ref: '1.3', into: { kind: 'programme', name: 'Acute Care Pathway review' }, reason: 'Absorbed' },
    ActionWithdrawn: { ref: '1.3', reason: 'No longer needed' },
  }[type];
  return [...dorsetLike(), fact(type, data, '2017-08')];
};

describe('plan decider: happy paths', () => {
  it('registers a plan', () =>
    given([])
      .when({
        type: 'RegisterPlan',
        data: { planId: 'p1', title: 'Plan', kind: 'other', owner: 'Trust', ragLegend: [] },
      })
      .then([{ type: 'PlanRegistered', data: { planId: 'p1' }, effectiveOn: '2026-11-23' }]));
  it('adds a section', () =>
    given(dorsetLike())
      .when({ type: 'AddSection', data: { sectionRef: '2', title: 'Urgent and Emergency Access' } })
      .then([{ type: 'SectionAdded', data: { sectionRef: '2' } }]));
  it('records a recommendation and a response, and assures it', () => {
    given(dorsetLike())
      .when({ type: 'RecordRecommendation', data: { ref: 'R2', text: 'Within six months', addressedTo: ['Trust'] } })
      .then([{ type: 'RecommendationRecorded' }]);
    given(dorsetLike())
      .when({ type: 'RecordRecommendationResponse', data: { ref: 'R1', respondent: 'Trust', response: 'Accepted' } })
      .then([{ type: 'RecommendationResponseRecorded' }]);
    given(dorsetLike())
      .when({ type: 'AssureRecommendation', data: { ref: 'R1', judgement: 'partially-assured', assuredBy: 'ICB' } })
      .then([{ type: 'RecommendationAssured', data: { judgement: 'partially-assured' } }]);
  });
  it('agrees an action, month-precision due date kept with its wording', () =>
    given(dorsetLike())
      .when(
        {
          type: 'AgreeAction',
          data: {
            ref: '1.4',
            text: 'Multi Agency Suicide Prevention Action Plan',
            sectionRef: '1',
            recommendationRefs: [],
            leadOrganisations: ['Public Health'],
            partnerOrganisations: [],
            intendedOutcomes: [],
            due: { kind: 'undated', wording: 'As per Suicide Prevention Action Plan' },
            relatedActionRefs: ['1.1'],
          },
        },
        { effectiveOn: '2015-06' },
      )
      .then([{ type: 'ActionAgreed', effectiveOn: '2015-06', data: { due: { kind: 'undated' } } }]));
  it('revises a deadline, keeping the date it replaces', () =>
    given(dorsetLike())
      .when({ type: 'ReviseDeadline', data: { ref: '1.3', to: { kind: 'date', date: '2018-03' }, reason: 'Business case' } })
      .then([
        {
          type: 'DeadlineRevised',
          data: { ref: '1.3', from: { kind: 'date', date: '2015-10' }, to: { kind: 'date', date: '2018-03' } },
        },
      ]));
  it('changes the lead, recording who led before', () =>
    given(dorsetLike())
      .when({ type: 'ChangeActionLead', data: { ref: '1.3', to: ['Dorset HealthCare'] } })
      .then([{ type: 'ActionLeadChanged', data: { from: ['Local Authorities', 'Dorset Clinical Commissioning Group'] } }]));
  it('records progress on an action and on a recommendation, dated as the document dates it', () => {
    given(dorsetLike())
      .when(
        {
          type: 'RecordProgressUpdate',
          data: { target: { kind: 'action', ref: '1.3' }, narrative: 'The website is now active', metrics: [] },
        },
        { effectiveOn: '2017-08' },
      )
      .then([{ type: 'ProgressUpdateRecorded', effectiveOn: '2017-08' }]);
    given(dorsetLike())
      .when({
        type: 'RecordProgressUpdate',
        data: { target: { kind: 'recommendation', ref: 'R1' }, narrative: 'Fact sheets published', metrics: [] },
      })
      .then([{ type: 'ProgressUpdateRecorded' }]);
  });
  it('links evidence, even to a completed action', () =>
    given(closedBy('ActionCompleted'))
      .when({
        type: 'LinkEvidence',
        data: { target: { kind: 'action', ref: '1.3' }, title: 'Website', uri: 'https://www.mylifemycare.com/mental-health' },
      })
      .then([{ type: 'EvidenceLinked' }]));
  it('completes an action; the completion date is its effective date', () =>
    given(dorsetLike())
      .when({ type: 'CompleteAction', data: { ref: '1.3', completedOn: '2017-08' } })
      .then([{ type: 'ActionCompleted', effectiveOn: '2017-08' }]));
  it('subsumes an action into another action or a named programme', () => {
    given(dorsetLike())
      .when({
        type: 'SubsumeAction',
        data: { ref: '1.3', into: { kind: 'programme', name: 'Acute Care Pathway' }, reason: 'Subsumed into the ACP' },
      })
      .then([{ type: 'ActionSubsumed' }]);
  });
  it('withdraws and reopens an action', () => {
    given(dorsetLike())
      .when({ type: 'WithdrawAction', data: action13({ reason: 'Duplicate' }) as never })
      .then([{ type: 'ActionWithdrawn' }]);
    given(closedBy('ActionWithdrawn'))
      .when({ type: 'ReopenAction', data: action13({ reason: 'Still needed' }) as never })
      .then([{ type: 'ActionReopened' }]);
  });
  it('corrects an entry', () => {
    const history = dorsetLike();
    const agreed = history[3]!;
    given(history)
      .when({ type: 'CorrectEntry', data: { correctedEventId: agreed.eventId, changes: { text: 'Mapping services' }, reason: 'Typo' } })
      .then([{ type: 'EntryCorrected', data: { correctedEventId: agreed.eventId, correctedType: 'ActionAgreed' } }]);
  });
});

describe('plan decider: rules', () => {
  it('a plan is registered once', () =>
    given(dorsetLike())
      .when({ type: 'RegisterPlan', data: { planId: 'dorset', title: 'Again', kind: 'other', owner: 'X', ragLegend: [] } })
      .thenFails('plan-exists', 409));
  it('nothing can be added to a plan that does not exist', () =>
    given([])
      .when({ type: 'AddSection', data: { sectionRef: '1', title: 'S' } })
      .thenFails('plan-not-found', 404));
  it('refs are unique within a plan (sections, recommendations, actions)', () => {
    given(dorsetLike())
      .when({ type: 'AddSection', data: { sectionRef: '1', title: 'Again' } })
      .thenFails('ref-taken', 409);
    given(dorsetLike())
      .when({ type: 'RecordRecommendation', data: { ref: 'R1', text: 'Again', addressedTo: [] } })
      .thenFails('ref-taken');
    given(dorsetLike())
      .when({
        type: 'AgreeAction',
        data: {
          ref: '1.3',
          text: 'Again',
          recommendationRefs: [],
          leadOrganisations: ['X'],
          partnerOrganisations: [],
          intendedOutcomes: [],
          due: { kind: 'ongoing' },
          relatedActionRefs: [],
        },
      })
      .thenFails('ref-taken');
  });
  const agree = (data: object) =>
    ({
      type: 'AgreeAction',
      data: {
        ref: '9.9',
        text: 'New',
        recommendationRefs: [],
        leadOrganisations: ['X'],
        partnerOrganisations: [],
        intendedOutcomes: [],
        due: { kind: 'ongoing' },
        relatedActionRefs: [],
        ...data,
      },
    }) as const;
  it('an action names existing sections and recommendations', () => {
    given(dorsetLike())
      .when(agree({ sectionRef: '7' }) as never)
      .thenFails('unknown-section', 422);
    given(dorsetLike())
      .when(agree({ recommendationRefs: ['R1', 'R9'] }) as never)
      .thenFails('unknown-recommendation', 422);
  });
  it('a deadline revision needs a different date', () =>
    given(dorsetLike())
      .when({ type: 'ReviseDeadline', data: { ref: '1.3', to: { kind: 'date', date: '2015-10' }, reason: 'Same' } })
      .thenFails('deadline-unchanged', 409));
  it('an unknown action is not found', () =>
    given(dorsetLike())
      .when({ type: 'CompleteAction', data: { ref: '8.8', completedOn: '2017-08' } })
      .thenFails('action-not-found', 404));
  for (const closure of ['ActionCompleted', 'ActionSubsumed', 'ActionWithdrawn'] as const) {
    it(`no progress, revision or completion on an action closed by ${closure} without reopening it`, () => {
      const history = closedBy(closure);
      given(history)
        .when({ type: 'RecordProgressUpdate', data: { target: { kind: 'action', ref: '1.3' }, narrative: 'More', metrics: [] } })
        .thenFails('action-closed', 409);
      given(history)
        .when({ type: 'ReviseDeadline', data: { ref: '1.3', to: { kind: 'date', date: '2019-01' }, reason: 'Later' } })
        .thenFails('action-closed');
      given(history)
        .when({ type: 'CompleteAction', data: { ref: '1.3', completedOn: '2018-01' } })
        .thenFails('action-closed');
      given([...history, fact('ActionReopened', { ref: '1.3', reason: 'Not done after all' }, '2018-01')])
        .when({ type: 'RecordProgressUpdate', data: { target: { kind: 'action', ref: '1.3' }, narrative: 'More', metrics: [] } })
        .then([{ type: 'ProgressUpdateRecorded' }]);
    });
  }
  it('only a closed action can be reopened', () =>
    given(dorsetLike())
      .when({ type: 'ReopenAction', data: { ref: '1.3', reason: 'x' } })
      .thenFails('action-not-closed', 409));
  it('completion is not before the action was agreed, at month precision', () => {
    given(dorsetLike())
      .when({ type: 'CompleteAction', data: { ref: '1.3', completedOn: '2015-05-31' } })
      .thenFails('completion-before-agreement', 422);
    // Agreed "June 2015": a completion on 1 June 2015 is within that month, so allowed.
    given(dorsetLike())
      .when({ type: 'CompleteAction', data: { ref: '1.3', completedOn: '2015-06-01' } })
      .then([{ type: 'ActionCompleted' }]);
  });
  it('nothing about an action is dated before it was agreed, at month precision; a recommendation’s update is not held to it', () => {
    const onAction = (kind: 'action' | 'recommendation', ref: string) => ({
      type: 'RecordProgressUpdate' as const,
      data: { target: { kind, ref }, narrative: 'Mapping begun', metrics: [] },
    });
    given(dorsetLike()).when(onAction('action', '1.3'), { effectiveOn: '2001-01' }).thenFails('dated-before-agreement', 422);
    given(dorsetLike())
      .when(
        { type: 'ReviseDeadline', data: { ref: '1.3', to: { kind: 'date', date: '2016-06' }, reason: 'Late' } },
        { effectiveOn: '2015-05-31' },
      )
      .thenFails('dated-before-agreement', 422);
    given(dorsetLike())
      .when(
        { type: 'LinkEvidence', data: { target: { kind: 'action', ref: '1.3' }, title: 'Map', uri: 'https://example.org/map' } },
        { effectiveOn: '2014-12' },
      )
      .thenFails('dated-before-agreement', 422);
    given(dorsetLike())
      .when({ type: 'WithdrawAction', data: { ref: '1.3', reason: 'Not needed' } }, { effectiveOn: '2015-01' })
      .thenFails('dated-before-agreement', 422);
    // Agreed "June 2015": an update on 1 June 2015 is within that month, so allowed.
    given(dorsetLike())
      .when(onAction('action', '1.3'), { effectiveOn: '2015-06-01' })
      .then([{ type: 'ProgressUpdateRecorded' }]);
    given(dorsetLike())
      .when(onAction('recommendation', 'R1'), { effectiveOn: '2001-01' })
      .then([{ type: 'ProgressUpdateRecorded' }]);
  });
  it('completion is not in the future (London calendar)', () => {
    given(dorsetLike())
      .when({ type: 'CompleteAction', data: { ref: '1.3', completedOn: '2026-11-24' } })
      .thenFails('completion-in-future', 422);
    // 23:30 UTC on 31 March 2026 is already 1 April in London (BST).
    given(dorsetLike())
      .when({ type: 'CompleteAction', data: { ref: '1.3', completedOn: '2026-04-01' } }, { now: '2026-03-31T23:30:00.000Z' })
      .then([{ type: 'ActionCompleted' }]);
  });
  it('a subsumption target exists or is a named programme', () => {
    given(dorsetLike())
      .when({ type: 'SubsumeAction', data: { ref: '1.3', into: { kind: 'action', ref: '4.4' }, reason: 'x' } })
      .thenFails('unknown-subsumption-target', 422);
    given(dorsetLike())
      .when({ type: 'SubsumeAction', data: { ref: '1.3', into: { kind: 'action', ref: '1.3' }, reason: 'x' } })
      .thenFails('subsumed-into-itself', 422);
  });
  it('a subsumption target action is not itself subsumed or withdrawn (so two actions cannot be subsumed into each other)', () => {
    const withAction14 = [...dorsetLike(), fact('ActionAgreed', { ...dorsetLike()[3]!.data, ref: '1.4' })];
    for (const closing of [
      fact('ActionSubsumed', { ref: '1.4', into: { kind: 'action', ref: '1.3' }, reason: 'Covered by 1.3' }),
      fact('ActionWithdrawn', { ref: '1.4', reason: 'Dropped' }),
    ])
      given([...withAction14, closing])
        .when({ type: 'SubsumeAction', data: { ref: '1.3', into: { kind: 'action', ref: '1.4' }, reason: 'x' } })
        .thenFails('subsumption-target-closed', 422);
    // A completed target is fine: "covered by 1.4, which is done".
    given([...withAction14, fact('ActionCompleted', { ref: '1.4', completedOn: '2017-08' }, '2017-08')])
      .when({ type: 'SubsumeAction', data: { ref: '1.3', into: { kind: 'action', ref: '1.4' }, reason: 'x' } })
      .then([{ type: 'ActionSubsumed' }]);
  });
  it('no effectiveOn in the future', () => {
    given(dorsetLike())
      .when({ type: 'AddSection', data: { sectionRef: '5', title: 'S' } }, { effectiveOn: '2026-12' })
      .thenFails('effective-date-in-future', 422);
    given(dorsetLike())
      .when({ type: 'AddSection', data: { sectionRef: '5', title: 'S' } }, { effectiveOn: '2026-11' })
      .then([{ type: 'SectionAdded' }]);
  });
});

describe('plan decider: corrections', () => {
  const history = dorsetLike();
  const agreed = history[3]!;
  it('a correction names an existing event of the same plan', () =>
    given(history)
      .when({
        type: 'CorrectEntry',
        data: { correctedEventId: '00000000-0000-7000-8000-999999999999', changes: { text: 'x' }, reason: 'r' },
      })
      .thenFails('event-not-found', 404));
  it('the corrected event must stay valid for its type', () =>
    given(history)
      .when({
        type: 'CorrectEntry',
        data: { correctedEventId: agreed.eventId, changes: { due: { kind: 'date', date: '2015-13' } }, reason: 'r' },
      })
      .thenFails('invalid-correction', 422));
  it('identity fields are not corrected', () =>
    given(history)
      .when({ type: 'CorrectEntry', data: { correctedEventId: agreed.eventId, changes: { ref: '1.4' }, reason: 'r' } })
      .thenFails('identity-field', 422));
  it('a correction applies to later decisions: the corrected due date is the one a revision must differ from', () => {
    const corrected = [
      ...history,
      fact('EntryCorrected', {
        correctedEventId: agreed.eventId,
        correctedType: 'ActionAgreed',
        changes: { due: { kind: 'date', date: '2015-11' } },
        reason: 'Typed wrong month',
      }),
    ];
    given(corrected)
      .when({ type: 'ReviseDeadline', data: { ref: '1.3', to: { kind: 'date', date: '2015-11' }, reason: 'r' } })
      .thenFails('deadline-unchanged');
  });
  it('a correction may not correct a correction into a loop', () => {
    const first = fact('EntryCorrected', {
      correctedEventId: agreed.eventId,
      correctedType: 'ActionAgreed',
      changes: { text: 'A' },
      reason: 'r',
    });
    const second = fact('EntryCorrected', {
      correctedEventId: first.eventId,
      correctedType: 'EntryCorrected',
      changes: { reason: 'better reason' },
      reason: 'r',
    });
    given([...history, first, second])
      .when({
        type: 'CorrectEntry',
        data: { correctedEventId: first.eventId, changes: { correctedEventId: second.eventId }, reason: 'loop' },
      })
      .thenFails('correction-loop', 409);
  });
  it('a correction of a correction changes what the first correction said', () => {
    const first = fact('EntryCorrected', {
      correctedEventId: agreed.eventId,
      correctedType: 'ActionAgreed',
      changes: { due: { kind: 'date', date: '2015-11' } },
      reason: 'r',
    });
    const second = fact('EntryCorrected', {
      correctedEventId: first.eventId,
      correctedType: 'EntryCorrected',
      changes: { changes: { due: { kind: 'date', date: '2015-12' } } },
      reason: 'r',
    });
    given([...history, first, second])
      .when({ type: 'ReviseDeadline', data: { ref: '1.3', to: { kind: 'date', date: '2015-12' }, reason: 'r' } })
      .thenFails('deadline-unchanged');
  });
});
