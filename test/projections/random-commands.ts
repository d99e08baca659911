import fc from 'fast-check';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';

/**
 * Random plan histories for property tests. Refs and organisations come from small pools
 * so commands often hit the same action (revise, reopen, correct …); many are refused by
 * the decider, which is part of what is being tested: refused commands write nothing.
 */
const ref = fc.constantFrom('1.1', '1.2', '2.1');
const recRef = fc.constantFrom('R1', 'R2');
const org = fc.constantFrom('SWAST', 'SWASFT', 'Dorset CCG', 'Dorset Police', 'Local Authorities');
const orgs = fc.uniqueArray(org, { minLength: 1, maxLength: 2 });
const month = fc
  .tuple(fc.integer({ min: 2014, max: 2027 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
const day = fc.tuple(month, fc.integer({ min: 1, max: 28 })).map(([m, d]) => `${m}-${String(d).padStart(2, '0')}`);
const businessDate = fc.oneof(month, day);
const due = fc.oneof(
  businessDate.map((date) => ({ kind: 'date' as const, date })),
  fc.constant({ kind: 'ongoing' as const, wording: 'Ongoing' }),
  fc.constant({ kind: 'undated' as const, wording: 'As per Suicide Prevention Action Plan' }),
);
const text = fc.constantFrom('Pilot street triage', 'Review s136 suite', 'Train call handlers', 'Agree protocol');
const rag = fc.option(fc.record({ rating: fc.constantFrom('Green', 'Amber', 'Red') }), { nil: undefined });
const target = fc.record({ kind: fc.constantFrom('action' as const, 'recommendation' as const), ref: fc.constantFrom('1.1', '1.2', 'R1') });

export type Step =
  | { kind: 'command'; planId: string; command: PlanCommand; effectiveOn?: string | undefined; minutes: number }
  | { kind: 'correct'; planId: string; pick: number; value: string; minutes: number };

export const command: fc.Arbitrary<PlanCommand> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('AddSection' as const),
      data: fc.record({ sectionRef: fc.constantFrom('1', '2'), title: text }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('RecordRecommendation' as const), data: fc.record({ ref: recRef, text, addressedTo: orgs }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('RecordRecommendationResponse' as const),
      data: fc.record({ ref: recRef, respondent: org, response: text }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('AssureRecommendation' as const),
      data: fc.record({
        ref: recRef,
        judgement: fc.constantFrom('assured' as const, 'partially-assured' as const, 'not-assured' as const),
        assuredBy: org,
      }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('AgreeAction' as const),
      data: fc.record({
        ref,
        text,
        recommendationRefs: fc.constant([]),
        leadOrganisations: orgs,
        partnerOrganisations: fc.uniqueArray(org, { maxLength: 2 }),
        intendedOutcomes: fc.constant([]),
        due,
        relatedActionRefs: fc.constant([]),
      }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('ChangeActionLead' as const), data: fc.record({ ref, to: orgs }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('ChangePlanOwner' as const), data: fc.record({ to: org, reason: text }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('ReviseDeadline' as const),
      data: fc.record({ ref, to: due, reason: text, agreedBy: fc.option(org, { nil: undefined }) }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('RecordProgressUpdate' as const),
      data: fc.record({ target, narrative: text, reportedRag: rag, metrics: fc.constant([]) }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('LinkEvidence' as const),
      data: fc.record({ target, title: text, uri: fc.constant('https://example.org/evidence.pdf') }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('CompleteAction' as const),
      data: fc.record({ ref, completedOn: businessDate.filter((d) => d < '2026') }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('SubsumeAction' as const),
      data: fc.record({ ref, into: fc.constant({ kind: 'programme' as const, name: 'The ACP' }), reason: text }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('WithdrawAction' as const), data: fc.record({ ref, reason: text }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('ReopenAction' as const), data: fc.record({ ref, reason: text }) }) },
) as fc.Arbitrary<PlanCommand>;

const planId = fc.constantFrom('plan-a', 'plan-b');
const minutes = fc.integer({ min: 1, max: 60 * 24 * 40 });

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      planId,
      command,
      effectiveOn: fc.option(fc.constantFrom('2015-03', '2016-01-15', '2017-08'), { nil: undefined }),
      minutes,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('correct' as const), planId, pick: fc.nat(), value: text, minutes }) },
);

/** Each plan is registered first, then a random mix of commands and corrections. */
export const histories = fc.array(step, { minLength: 10, maxLength: 50 });

/** The text field of each event type a correction may change (never an identity field). */
export const correctableField: Record<string, string | undefined> = {
  PlanRegistered: 'title',
  PlanOwnerChanged: 'reason',
  SectionAdded: 'title',
  RecommendationRecorded: 'text',
  RecommendationResponseRecorded: 'response',
  ActionAgreed: 'text',
  DeadlineRevised: 'reason',
  ProgressUpdateRecorded: 'narrative',
  EvidenceLinked: 'title',
  ActionCompleted: 'summary',
  ActionSubsumed: 'reason',
  ActionWithdrawn: 'reason',
  ActionReopened: 'reason',
  RecommendationAssured: 'rationale',
  EntryCorrected: 'reason',
};
