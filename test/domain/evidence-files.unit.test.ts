import { describe, expect, it } from 'vitest';
import { authorise } from '../../src/access/authorise-command.ts';
import type { Principal } from '../../src/access/principal.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import type { PlanFact } from '../../src/domain/plan/state.ts';
import { createOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { dorsetLike, fact, fold, given } from './given-when-then.ts';

const SHA = 'ab'.repeat(32);
const file = { sha256: SHA, size: 1234, mediaType: 'application/pdf', fileName: 'Board minutes March 2018.pdf' };
const attach = (target: { kind: 'action' | 'recommendation'; ref: string }) =>
  ({ type: 'AttachEvidenceFile', data: { target, title: 'Board minutes, March 2018', file } }) as const;
const attached = fact('EvidenceFileAttached', { target: { kind: 'action', ref: '1.3' }, title: 'Board minutes', file }, '2018-03');
const erase = { type: 'EraseEvidence', data: { sha256: SHA, reason: 'The minutes name a patient' } } as const;
const erased = fact('EvidenceErased', { sha256: SHA, reason: 'The minutes name a patient' }, '2018-04');

describe('attaching an evidence file: the decision', () => {
  it('records the file (hash, size, type, name) on an action, dated as given', () =>
    given(dorsetLike())
      .when(attach({ kind: 'action', ref: '1.3' }), { effectiveOn: '2018-03' })
      .then([{ type: 'EvidenceFileAttached', data: { target: { kind: 'action', ref: '1.3' }, file }, effectiveOn: '2018-03' }]));
  it('records it on a recommendation', () =>
    given(dorsetLike())
      .when(attach({ kind: 'recommendation', ref: 'R1' }))
      .then([{ type: 'EvidenceFileAttached', data: { target: { kind: 'recommendation', ref: 'R1' } } }]));
  it('refuses an action or recommendation the plan does not have', () => {
    given(dorsetLike())
      .when(attach({ kind: 'action', ref: '9.9' }))
      .thenFails('action-not-found', 404);
    given(dorsetLike())
      .when(attach({ kind: 'recommendation', ref: 'R9' }))
      .thenFails('recommendation-not-found', 404);
  });
  it('accepts the same file again (stored once, attached twice)', () =>
    given([...dorsetLike(), attached])
      .when(attach({ kind: 'recommendation', ref: 'R1' }))
      .then([{ type: 'EvidenceFileAttached' }]));
  it('refuses content this plan erased', () =>
    given([...dorsetLike(), attached, erased])
      .when(attach({ kind: 'action', ref: '1.3' }))
      .thenFails('evidence-erased', 409));
});

describe('erasing an evidence file: the decision', () => {
  it('records which content was erased and why', () =>
    given([...dorsetLike(), attached])
      .when(erase)
      .then([{ type: 'EvidenceErased', data: { sha256: SHA, reason: 'The minutes name a patient' } }]));
  it('refuses content never attached to the plan', () => given(dorsetLike()).when(erase).thenFails('evidence-file-not-found', 404));
  it('refuses erasing it twice', () =>
    given([...dorsetLike(), attached, erased])
      .when(erase)
      .thenFails('evidence-already-erased', 409));
  it('lets the reason be corrected but never which content was erased', () => {
    const correct = (changes: Record<string, unknown>) =>
      ({ type: 'CorrectEntry', data: { correctedEventId: erased.eventId, changes, reason: 'Typed wrong' } }) as const;
    given([...dorsetLike(), attached, erased])
      .when(correct({ reason: 'The minutes name a patient and her GP' }))
      .then([{ type: 'EntryCorrected' }]);
    given([...dorsetLike(), attached, erased])
      .when(correct({ sha256: 'cd'.repeat(32) }))
      .thenFails('identity-field', 422);
  });
  it("never lets an attachment's file be corrected", () =>
    given([...dorsetLike(), attached])
      .when({
        type: 'CorrectEntry',
        data: { correctedEventId: attached.eventId, changes: { file: { ...file, size: 99 } }, reason: 'Wrong size' },
      })
      .thenFails('identity-field', 422));
});

describe('evidence files: who may', () => {
  const OWNER = 'Dorset Clinical Commissioning Group';
  const directory = createOrganisationDirectory([{ name: OWNER, aliases: ['Dorset CCG'] }]);
  const as = (role: Principal['role'], organisation: string): Principal => ({
    via: 'api-key',
    keyId: '0123456789abcdef',
    name: 'Someone',
    role,
    organisation,
  });
  const decision = (facts: PlanFact[], principal: Principal, command: PlanCommand) =>
    authorise(principal, command, fold(facts), directory.canonical);

  it("lets a contributor attach files to their organisation's actions only", () => {
    expect(decision(dorsetLike(), as('contributor', 'Local Authorities'), attach({ kind: 'action', ref: '1.3' }))).toEqual({
      allowed: true,
    });
    expect(decision(dorsetLike(), as('contributor', 'Dorset Police'), attach({ kind: 'action', ref: '1.3' }))).toMatchObject({
      allowed: false,
      code: 'not-your-organisation',
    });
  });
  it("leaves erasure to the owner's plan managers", () => {
    const history = [...dorsetLike(), attached];
    expect(decision(history, as('plan-manager', 'Dorset CCG'), erase)).toEqual({ allowed: true });
    expect(decision(history, as('plan-manager', 'Local Authorities'), erase)).toMatchObject({ code: 'not-your-organisation' });
    expect(decision(history, as('contributor', 'Dorset CCG'), erase)).toMatchObject({ code: 'role-not-permitted' });
  });
});
