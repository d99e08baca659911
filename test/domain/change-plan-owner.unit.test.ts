import { describe, expect, it } from 'vitest';
import { authorise } from '../../src/access/authorise-command.ts';
import type { Principal } from '../../src/access/principal.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import type { PlanFact } from '../../src/domain/plan/state.ts';
import { createOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { dorsetLike, fact, fold, given } from './given-when-then.ts';

const OWNER = 'Dorset Clinical Commissioning Group';
const SUCCESSOR = 'NHS Dorset Integrated Care Board';
const toSuccessor = { type: 'ChangePlanOwner', data: { to: SUCCESSOR, reason: 'CCGs replaced by ICBs in July 2022' } } as const;
const passed = fact('PlanOwnerChanged', { from: OWNER, to: SUCCESSOR, reason: 'CCGs replaced by ICBs' }, '2022-07');

describe('changing a plan owner: the decision', () => {
  it('records the owner it leaves and the one it passes to, with the reason', () =>
    given(dorsetLike())
      .when(toSuccessor, { effectiveOn: '2022-07-01' })
      .then([
        { type: 'PlanOwnerChanged', data: { from: OWNER, to: SUCCESSOR, reason: toSuccessor.data.reason }, effectiveOn: '2022-07-01' },
      ]));
  it('refuses handing the plan to the organisation that already owns it', () =>
    given(dorsetLike())
      .when({ type: 'ChangePlanOwner', data: { to: OWNER, reason: 'No change' } })
      .thenFails('owner-unchanged', 409));
  it('refuses a plan that does not exist', () => given([]).when(toSuccessor).thenFails('plan-not-found', 404));
  it('leaves the plan owned by the new organisation, so the next change starts from it', () => {
    expect(fold([...dorsetLike(), passed])).toMatchObject({ owner: SUCCESSOR });
    given([...dorsetLike(), passed])
      .when({ type: 'ChangePlanOwner', data: { to: 'Someone else', reason: 'Again' } })
      .then([{ type: 'PlanOwnerChanged', data: { from: SUCCESSOR, to: 'Someone else' } }]);
  });
});

describe('changing a plan owner: corrections of it keep its rules', () => {
  const correct = (event: PlanFact, changes: Record<string, unknown>) =>
    ({ type: 'CorrectEntry', data: { correctedEventId: event.eventId, changes, reason: 'Typed wrong' } }) as const;
  it('corrects the new owner to another organisation', () =>
    given([...dorsetLike(), passed])
      .when(correct(passed, { to: 'NHS Dorset ICB' }))
      .then([{ type: 'EntryCorrected' }]));
  it('refuses correcting the new owner into the owner it left', () =>
    given([...dorsetLike(), passed])
      .when(correct(passed, { to: OWNER }))
      .thenFails('owner-unchanged', 409));
  it('refuses correcting whom it left into anyone but the owner the ledger then held', () =>
    given([...dorsetLike(), passed])
      .when(correct(passed, { from: 'Dorset Police' }))
      .thenFails('derived-field', 422));
});

describe('changing a plan owner: who may', () => {
  const directory = createOrganisationDirectory([{ name: OWNER, aliases: ['Dorset CCG'] }]);
  const as = (role: Principal['role'], organisation: string): Principal => ({
    via: 'api-key',
    keyId: '0123456789abcdef',
    name: 'Someone',
    role,
    organisation,
  });
  const decision = (facts: PlanFact[], principal: Principal, command: PlanCommand = toSuccessor) =>
    authorise(principal, command, fold(facts), directory.canonical);

  it("is the owner's plan managers alone, under any alias of the owner", () => {
    expect(decision(dorsetLike(), as('plan-manager', 'Dorset CCG'))).toEqual({ allowed: true });
    // Local Authorities lead action 1.3, so they run the plan's other commands, but the plan is not theirs to hand on.
    expect(decision(dorsetLike(), as('plan-manager', 'Local Authorities'))).toMatchObject({
      allowed: false,
      code: 'not-your-organisation',
    });
    expect(decision(dorsetLike(), as('contributor', 'Dorset CCG'))).toMatchObject({ allowed: false, code: 'role-not-permitted' });
  });
  it('passes to the new owner once the plan has changed hands', () => {
    const again = { type: 'ChangePlanOwner', data: { to: 'Someone else', reason: 'Again' } } as const;
    expect(decision([...dorsetLike(), passed], as('plan-manager', SUCCESSOR), again)).toEqual({ allowed: true });
    expect(decision([...dorsetLike(), passed], as('plan-manager', 'Dorset CCG'), again)).toMatchObject({ allowed: false });
  });
});
