import { describe, expect, it } from 'vitest';
import { decide } from '../../src/domain/plan/decide.ts';
import { evolve } from '../../src/domain/plan/evolve.ts';
import { initialState, type Plan, type PlanFact } from '../../src/domain/plan/state.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import { DomainError } from '../../src/domain/errors.ts';

/** Given the events so far, when a command arrives, then these events or this refusal. */
const NOW = '2026-11-23T12:00:00.000Z';
let id = 0;
const given = (...commands: PlanCommand[]): Plan =>
  commands.reduce<Plan>((plan, command) => {
    for (const decided of decide({ ...command, now: NOW }, plan)) plan = evolve(plan, { ...decided, eventId: `e${++id}` } as PlanFact);
    return plan;
  }, initialState());
const when = (plan: Plan, command: PlanCommand) => decide({ ...command, now: NOW }, plan);
const refusal = (plan: Plan, command: PlanCommand) => {
  try {
    when(plan, command);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
};

const REGISTER: PlanCommand = {
  type: 'RegisterPlan',
  data: { planId: 'p', title: 'A plan', kind: 'other', owner: 'Dorset CCG', ragLegend: [] },
};
const RETRACT: PlanCommand = { type: 'RetractPlan', data: { reason: 'Imported from the wrong file' } };
const REINSTATE: PlanCommand = { type: 'ReinstatePlan', data: { reason: 'It was the right file' } };
const SECTION: PlanCommand = { type: 'AddSection', data: { sectionRef: '1', title: 'Access' } };

describe('retracting a plan', () => {
  it('records PlanRetracted with its reason', () => {
    expect(when(given(REGISTER), RETRACT)).toEqual([
      { type: 'PlanRetracted', data: { reason: 'Imported from the wrong file' }, effectiveOn: '2026-11-23' },
    ]);
  });

  it('refuses to retract a plan twice, or one that does not exist', () => {
    expect(refusal(given(REGISTER, RETRACT), RETRACT)).toMatchObject({ code: 'plan-retracted', status: 409 });
    expect(refusal(given(), RETRACT)).toMatchObject({ code: 'plan-not-found', status: 404 });
  });

  it('closes a retracted plan to every change but its reinstatement', () => {
    expect(refusal(given(REGISTER, RETRACT), SECTION)).toMatchObject({ code: 'plan-retracted', status: 409 });
    expect(when(given(REGISTER, RETRACT), REINSTATE)).toEqual([
      { type: 'PlanReinstated', data: { reason: 'It was the right file' }, effectiveOn: '2026-11-23' },
    ]);
  });

  it('is reversed by a reinstatement, after which the plan takes changes again', () => {
    const plan = given(REGISTER, RETRACT, REINSTATE);
    expect(plan).toMatchObject({ status: 'registered', retracted: false });
    expect(when(plan, SECTION)).toHaveLength(1);
    expect(refusal(plan, REINSTATE)).toMatchObject({ code: 'plan-not-retracted', status: 409 });
  });
});
