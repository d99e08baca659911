import { describe, expect, it } from 'vitest';
import { authorise } from '../../src/access/authorise-command.ts';
import type { Principal } from '../../src/access/principal.ts';
import type { Role } from '../../src/access/roles.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import { createOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { dorsetLike, fact, fold } from '../domain/given-when-then.ts';
import type { PlanFact } from '../../src/domain/plan/state.ts';

const directory = createOrganisationDirectory([
  { name: 'NHS Dorset Clinical Commissioning Group', aliases: ['Dorset CCG', 'Dorset Clinical Commissioning Group'] },
  { name: 'South Western Ambulance Service NHS Foundation Trust', aliases: ['SWAST'] },
]);
const as = (role: Role, organisation: string): Principal => ({
  via: 'api-key',
  keyId: '0123456789abcdef',
  name: 'Someone',
  role,
  organisation,
});

/** dorsetLike plus: R1 addressed to SWAST, action 2.1 led by Dorset Police with SWAST as partner. */
const history = (): PlanFact[] => [
  ...dorsetLike().map((f) =>
    f.type === 'RecommendationRecorded' ? ({ ...f, data: { ...f.data, addressedTo: ['SWAST'] } } as PlanFact) : f,
  ),
  fact('ActionAgreed', {
    ref: '2.1',
    text: 'Section 136',
    leadOrganisations: ['Dorset Police'],
    partnerOrganisations: ['South Western Ambulance Service NHS Foundation Trust'],
    recommendationRefs: [],
    intendedOutcomes: [],
    relatedActionRefs: [],
    due: { kind: 'ongoing', wording: 'Ongoing' },
  }),
];

/** given(history).when(principal runs command) → allowed, or refused with a code. */
const given = (facts: PlanFact[]) => ({
  when: (principal: Principal, command: PlanCommand) => {
    const decision = authorise(principal, command, fold(facts), directory.canonical);
    return {
      thenAllowed: () => expect(decision).toEqual({ allowed: true }),
      thenRefused: (code: string) => expect(decision).toMatchObject({ allowed: false, code }),
    };
  },
});

const progress = (kind: 'action' | 'recommendation', ref: string): PlanCommand => ({
  type: 'RecordProgressUpdate',
  data: { target: { kind, ref }, narrative: 'AUG 2017 pilot completed', metrics: [] },
});
const evidence = (ref: string): PlanCommand => ({
  type: 'LinkEvidence',
  data: { target: { kind: 'action', ref }, title: 'Minutes', uri: 'https://example.org/m.pdf' },
});
const complete = (ref: string): PlanCommand => ({ type: 'CompleteAction', data: { ref, completedOn: '2017-08' } });
const register = (owner: string): PlanCommand => ({
  type: 'RegisterPlan',
  data: { planId: 'p2', title: 'Plan', kind: 'other', owner, ragLegend: [] },
});

describe('authorise: plan managers', () => {
  it('register plans owned by their own organisation, under any alias', () => {
    given([]).when(as('plan-manager', 'NHS Dorset Clinical Commissioning Group'), register('Dorset CCG')).thenAllowed();
    given([]).when(as('plan-manager', 'Dorset CCG'), register('Dorset Police')).thenRefused('not-your-organisation');
  });
  it('run every plan command on a plan their organisation owns', () =>
    given(history()).when(as('plan-manager', 'Dorset CCG'), complete('2.1')).thenAllowed());
  it('run plan commands on a plan their organisation is named on (lead, partner or addressee)', () => {
    given(history()).when(as('plan-manager', 'Dorset Police'), complete('1.3')).thenAllowed();
    given(history())
      .when(as('plan-manager', 'SWAST'), { type: 'AddSection', data: { sectionRef: '9', title: 'More' } })
      .thenAllowed();
  });
  it('are refused on a plan that does not name their organisation', () =>
    given(history()).when(as('plan-manager', 'Kent Police'), complete('1.3')).thenRefused('not-your-organisation'));
  it('a correction that changes the owner moves the plan to the new owner', () => {
    const [registered, ...rest] = history();
    const corrected = [
      registered!,
      ...rest.filter((f) => f.type !== 'ActionAgreed' && f.type !== 'RecommendationRecorded'),
      fact('EntryCorrected', { correctedEventId: registered!.eventId, changes: { owner: 'Kent Police' }, reason: 'typo' }),
    ];
    given(corrected).when(as('plan-manager', 'Kent Police'), complete('1.3')).thenAllowed();
    given(corrected).when(as('plan-manager', 'Dorset CCG'), complete('1.3')).thenRefused('not-your-organisation');
  });
});

describe('authorise: contributors', () => {
  it('record progress and link evidence on actions their organisation leads', () => {
    given(history()).when(as('contributor', 'Dorset Police'), progress('action', '2.1')).thenAllowed();
    given(history()).when(as('contributor', 'Local Authorities'), evidence('1.3')).thenAllowed();
  });
  it('record progress on actions their organisation partners, named by an alias', () =>
    given(history()).when(as('contributor', 'SWAST'), progress('action', '2.1')).thenAllowed());
  it('record progress on recommendations addressed to their organisation', () => {
    given(history()).when(as('contributor', 'SWAST'), progress('recommendation', 'R1')).thenAllowed();
    given(history()).when(as('contributor', 'Dorset Police'), progress('recommendation', 'R1')).thenRefused('not-your-organisation');
  });
  it("cannot touch another organisation's action", () => {
    given(history()).when(as('contributor', 'Dorset Police'), progress('action', '1.3')).thenRefused('not-your-organisation');
    given(history()).when(as('contributor', 'Dorset Police'), evidence('1.3')).thenRefused('not-your-organisation');
  });
  it('cannot run any other command, even on their own action', () => {
    given(history()).when(as('contributor', 'Dorset Police'), complete('2.1')).thenRefused('role-not-permitted');
    given(history()).when(as('contributor', 'Dorset CCG'), register('Dorset CCG')).thenRefused('role-not-permitted');
  });
  it('after a lead change, the new lead may report and the old one may not', () => {
    const changed = [...history(), fact('ActionLeadChanged', { ref: '2.1', from: ['Dorset Police'], to: ['British Transport Police'] })];
    given(changed).when(as('contributor', 'British Transport Police'), progress('action', '2.1')).thenAllowed();
    given(changed).when(as('contributor', 'Dorset Police'), progress('action', '2.1')).thenRefused('not-your-organisation');
  });
});

describe('authorise: roles that never write', () => {
  for (const role of ['viewer', 'auditor', 'admin'] as const)
    it(`${role} is refused every command`, () => {
      given(history()).when(as(role, 'Dorset CCG'), progress('action', '1.3')).thenRefused('role-not-permitted');
      given([]).when(as(role, 'Dorset CCG'), register('Dorset CCG')).thenRefused('role-not-permitted');
    });
});
