import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerFact } from '../../projections/ledger-fact.ts';
import { evolveTimeline, initialTimeline } from '../../projections/timeline/timeline.ts';
import { resolveCorrectionsWithAmendments, splitOverlay } from '../../src/domain/correction-overlay.ts';
import { agreed, ledgerFact, registered } from './facts.ts';

/** Entries a correction here names, each with a field it corrects; two completions, so a correction can be redirected. */
const entries = (): { fact: LedgerFact; field: string }[] => [
  { fact: registered(), field: 'title' },
  { fact: agreed('1.1', { kind: 'date', date: '2015-10' }), field: 'text' },
  { fact: agreed('1.2', { kind: 'date', date: '2016-03' }, { effectiveOn: '2015-06' }), field: 'text' },
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

const month = fc
  .tuple(fc.integer({ min: 2014, max: 2020 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);

/** Corrections of the entries and, now and then, of an earlier correction: amending its reason or its changes, or redirecting it. */
const steps = fc.array(
  fc.record({
    pick: fc.nat(),
    ofCorrection: fc.constantFrom('none', 'none', 'reason', 'changes', 'redirect'),
    text: fc.constantFrom('Typed again', 'Corrected wording', 'Original'),
    date: fc.option(month, { nil: undefined }),
  }),
  { minLength: 1, maxLength: 30 },
);

const completions = (base: { fact: LedgerFact }[]) => base.filter((e) => e.fact.type === 'ActionCompleted').map((e) => e.fact);

/** The entries, then the corrections drawn, each built from its step and the corrections before it. */
const historyOf = (drawn: { pick: number; ofCorrection: string; text: string; date: string | undefined }[]): LedgerFact[] => {
  const base = entries();
  const facts = base.map((e) => e.fact);
  const made: (LedgerFact & { type: 'EntryCorrected' })[] = [];
  for (const step of drawn) {
    const amended = step.ofCorrection !== 'none' && made.length > 0 ? made[step.pick % made.length]! : undefined;
    let data: Record<string, unknown>;
    if (amended) {
      const [first, second] = completions(base);
      const changes =
        step.ofCorrection === 'redirect' && amended.data.correctedType === 'ActionCompleted'
          ? { correctedEventId: amended.data.correctedEventId === first!.eventId ? second!.eventId : first!.eventId }
          : step.ofCorrection === 'changes'
            ? { changes: { ...amended.data.changes, ...(step.date === undefined ? {} : { completedOn: step.date }) } }
            : { reason: step.text };
      data = { correctedEventId: amended.eventId, correctedType: 'EntryCorrected', changes, reason: 'Amended' };
    } else {
      const { fact: target, field } = base[step.pick % base.length]!;
      const dated = field === 'completedOn';
      if (dated && step.date === undefined) continue;
      data = {
        correctedEventId: target.eventId,
        correctedType: target.type,
        changes: { [field]: dated ? step.date : step.text },
        ...(dated || step.date === undefined ? {} : { correctedEffectiveOn: step.date }),
        reason: 'Typed wrongly',
      };
    }
    const fact = ledgerFact('EntryCorrected', data) as LedgerFact & { type: 'EntryCorrected' };
    facts.push(fact);
    made.push(fact);
  }
  return facts;
};

describe('the timeline of a corrected history', () => {
  it('shows every event with the data and business date that working every correction out at once puts in force', () => {
    fc.assert(
      fc.property(steps, (drawn) => {
        const facts = historyOf(drawn);
        const state = initialTimeline();
        for (const fact of facts) evolveTimeline(state, fact, (name) => name);
        const corrections = facts.flatMap((f) => (f.type === 'EntryCorrected' ? [{ eventId: f.eventId, data: f.data }] : []));
        const { resolved, amended } = resolveCorrectionsWithAmendments(corrections);
        for (const fact of facts) {
          const held = state.byEvent.get(fact.eventId)!;
          if (fact.type === 'EntryCorrected') {
            expect(held.data).toEqual(amended.get(fact.eventId));
            continue;
          }
          const { fields, effectiveOn } = splitOverlay({ ...resolved.get(fact.eventId) });
          expect(held.data).toEqual({ ...fact.data, ...fields });
          expect(held.entry.effectiveOn.date).toBe(effectiveOn ?? fact.effectiveOn.date);
          expect(held.entry.recordedEffectiveOn?.date ?? null).toBe(
            effectiveOn === undefined || effectiveOn === fact.effectiveOn.date ? null : fact.effectiveOn.date,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
