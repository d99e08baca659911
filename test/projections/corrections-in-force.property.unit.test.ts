import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerFact } from '../../projections/ledger-fact.ts';
import type { CorrectionItem, PlanDoc } from '../../projections/plan-status/document.ts';
import { applyCorrection, applyCorrectionInFull } from '../../projections/plan-status/corrections.ts';
import { evolvePlanStatus } from '../../projections/plan-status/evolve.ts';
import { foldPlanStatus } from '../../projections/plan-status/projection.ts';
import { agreed, ledgerFact, registered } from './facts.ts';

/**
 * A plan with one entry of each kind a correction here names, each with its correctable field.
 * A completion twice: by its summary (a date moved alone moves its completion date), and by its
 * completion date (which, corrected alone, moves its business date).
 */
const entries = (): { fact: LedgerFact; field: string }[] => [
  { fact: registered(), field: 'title' },
  { fact: ledgerFact('SectionAdded', { sectionRef: '1', title: 'Access' }), field: 'title' },
  { fact: agreed('1.1', { kind: 'date', date: '2015-10' }), field: 'text' },
  { fact: agreed('1.2', { kind: 'date', date: '2016-03' }, { effectiveOn: '2015-06' }), field: 'text' },
  {
    fact: ledgerFact('DeadlineRevised', { ref: '1.1', to: { kind: 'date', date: '2018-03' }, reason: 'Funding', agreedBy: 'Board' }),
    field: 'reason',
  },
  {
    fact: ledgerFact('ProgressUpdateRecorded', { target: { kind: 'action', ref: '1.2' }, narrative: 'Started', metrics: [] }),
    field: 'narrative',
  },
  {
    fact: ledgerFact('ActionCompleted', { ref: '1.2', completedOn: '2016-02', summary: 'Done' }, { effectiveOn: '2016-02' }),
    field: 'summary',
  },
  { fact: ledgerFact('ActionCompleted', { ref: '1.1', completedOn: '2018-01' }, { effectiveOn: '2018-01' }), field: 'completedOn' },
];

/** The correction item the plan-status evolve builds from an EntryCorrected fact. */
const itemOf = (fact: LedgerFact & { type: 'EntryCorrected' }): CorrectionItem => ({
  eventId: fact.eventId,
  recordedAt: fact.recordedAt,
  effectiveOn: fact.effectiveOn.date,
  by: fact.actor.name,
  ...fact.data,
  recorded: structuredClone(fact.data),
});

const month = fc
  .tuple(fc.integer({ min: 2014, max: 2020 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);

/** Corrections of the entries, now and then of an earlier correction: which, the new text, and maybe a new business date. */
const corrections = fc.array(
  fc.record({
    pick: fc.nat(),
    ofCorrection: fc.boolean(),
    text: fc.option(fc.constantFrom('Typed again', 'Corrected wording', 'Original'), { nil: undefined }),
    date: fc.option(month, { nil: undefined }),
  }),
  { minLength: 1, maxLength: 25 },
);

describe('a correction that corrects no correction', () => {
  it('leaves the plan document exactly as working every correction out again does', () => {
    fc.assert(
      fc.property(corrections, fc.boolean(), (steps, chains) => {
        const base = entries();
        const facts = base.map((e) => e.fact);
        const made: LedgerFact[] = [];
        for (const step of steps) {
          const ofCorrection = chains && step.ofCorrection && made.length > 0;
          const target = ofCorrection ? made[step.pick % made.length]! : base[step.pick % base.length]!.fact;
          const field = ofCorrection ? 'reason' : base.find((e) => e.fact === target)!.field;
          // A completion date is corrected alone, as the decider stored it before it stored both dates.
          const datedField = field === 'completedOn';
          const changes = datedField
            ? step.date === undefined
              ? {}
              : { completedOn: step.date }
            : step.text === undefined
              ? {}
              : { [field]: step.text };
          const date = ofCorrection || datedField ? undefined : step.date;
          if (Object.keys(changes).length === 0 && date === undefined) continue;
          const fact = ledgerFact('EntryCorrected', {
            correctedEventId: target.eventId,
            correctedType: target.type,
            changes,
            ...(date === undefined ? {} : { correctedEffectiveOn: date }),
            reason: 'Typed wrongly',
          }) as LedgerFact & { type: 'EntryCorrected' };
          const before = foldPlanStatus(facts)!;
          const shortcut = structuredClone(before);
          const inFull: PlanDoc = structuredClone(before);
          applyCorrection(shortcut, itemOf(fact));
          applyCorrectionInFull(inFull, itemOf(fact));
          // The same document, down to the order of its keys (it is stored and served as JSON).
          expect(JSON.stringify(shortcut)).toEqual(JSON.stringify(inFull));
          facts.push(fact);
          made.push(fact);
        }
        // One document carried through every fact keeps what it knows of its corrections as it
        // goes; a copy after each fact (as a snapshot read back is) works it out afresh.
        let copied: PlanDoc | undefined;
        for (const fact of facts) copied = structuredClone(evolvePlanStatus(copied, fact));
        expect(JSON.stringify(foldPlanStatus(facts))).toEqual(JSON.stringify(copied));
      }),
      { numRuns: 200 },
    );
  });
});
