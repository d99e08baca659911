import { expect } from 'vitest';
import type { Command, PlanCommand } from '../../src/domain/plan/commands.ts';
import { decide } from '../../src/domain/plan/decide.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { evolve } from '../../src/domain/plan/evolve.ts';
import { initialState, type Plan, type PlanFact } from '../../src/domain/plan/state.ts';

/** The decider's clock in these specs: 23 November 2026, midday in London. */
export const NOW = '2026-11-23T12:00:00.000Z';

let counter = 0;
/** A fact with a readable, unique id; effectiveOn defaults to a date well in the past. */
export const fact = (type: PlanFact['type'], data: object, effectiveOn = '2015-06', eventId?: string): PlanFact =>
  ({ type, data, effectiveOn, eventId: eventId ?? `00000000-0000-7000-8000-${String(++counter).padStart(12, '0')}` }) as PlanFact;

export const fold = (facts: PlanFact[]): Plan => facts.reduce(evolve, initialState());

/** given(history).when(command) → then(events) or thenFails(code). */
export const given = (facts: PlanFact[]) => ({
  when: (command: PlanCommand, options: { effectiveOn?: string; now?: string } = {}) => {
    const run = () => decide({ ...command, now: options.now ?? NOW, effectiveOn: options.effectiveOn } as Command, fold(facts));
    return {
      /** Each expected event names the fields it checks (toMatchObject): its type, and any of its data and date. */
      then: (expected: object[]) => expect(run()).toMatchObject(expected),
      thenFails: (code: string, status?: number) => {
        let caught: unknown;
        try {
          run();
        } catch (error) {
          caught = error;
        }
        expect(caught, `expected the rule ${code} to be broken`).toBeInstanceOf(DomainError);
        expect((caught as DomainError).code).toBe(code);
        if (status !== undefined) expect((caught as DomainError).status).toBe(status);
      },
    };
  },
});

/** A small plan like Dorset's: one section, one recommendation, action 1.3 due October 2015. */
export const dorsetLike = (): PlanFact[] => [
  fact('PlanRegistered', {
    planId: 'dorset',
    title: 'Dorset Crisis Care Concordat action plan',
    kind: 'crisis-care-concordat',
    owner: 'Dorset Clinical Commissioning Group',
    ragLegend: [],
  }),
  fact('SectionAdded', { sectionRef: '1', title: 'Access to Support Before Crisis' }),
  fact('RecommendationRecorded', { ref: 'R1', text: 'Improve information about services', addressedTo: [] }),
  fact('ActionAgreed', {
    ref: '1.3',
    text: 'Mapping Services to provide good information about services',
    sectionRef: '1',
    recommendationRefs: ['R1'],
    leadOrganisations: ['Local Authorities', 'Dorset Clinical Commissioning Group'],
    partnerOrganisations: [],
    intendedOutcomes: [],
    due: { kind: 'date', date: '2015-10', wording: 'October 2015' },
    relatedActionRefs: [],
  }),
];
