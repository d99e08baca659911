import fc from 'fast-check';
import type { Due } from '../../events/business-date.ts';
import { describe, expect, it } from 'vitest';
import type { LedgerFact } from '../../projections/ledger-fact.ts';
import { dueDayNumber, recordedAfterShownDeadline } from '../../projections/plan-status/dates.ts';
import { currentDue, type PlanDoc } from '../../projections/plan-status/document.ts';
import { evolvePlanStatus } from '../../projections/plan-status/evolve.ts';
import { planLines } from '../../projections/plan-status/plan-lines.ts';
import { agreed, ledgerFact, registered } from './facts.ts';

const month = (n: number) => ({ kind: 'date', date: `2026-${String(n).padStart(2, '0')}` });
const REFS = ['1.1', '1.2'] as const;

/** One step of a history of two actions' deadlines: a revision, a correction of a deadline, of a correction, or none. */
type Step =
  | { kind: 'revise'; action: 0 | 1; to: number }
  | { kind: 'correct'; entry: number; to: number }
  | { kind: 'wording'; entry: number }
  | { kind: 'from'; entry: number; to: number }
  | { kind: 'amend'; correction: number; to: number | null }
  | { kind: 'redirect'; correction: number; entry: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('revise' as const), action: fc.constantFrom(0 as const, 1 as const), to: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('correct' as const), entry: fc.nat(), to: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('wording' as const), entry: fc.nat() }),
  fc.record({ kind: fc.constant('from' as const), entry: fc.nat(), to: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('amend' as const), correction: fc.nat(), to: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }) }),
  fc.record({ kind: fc.constant('redirect' as const), correction: fc.nat(), entry: fc.nat() }),
);

/**
 * The facts of a history: two actions agreed in January, due in March and in September; each step a fortnight after the one before (some on
 * the same instant as the one before, as entries stamped while a clock is held); then 1.1 completed, dated 1 February.
 */
const factsOf = (steps: Step[], sameInstant: boolean[]) => {
  let day = 0;
  const at = (i: number) => {
    if (!sameInstant[i % sameInstant.length]) day++;
    return new Date(Date.UTC(2026, 0, 10 + day * 14, 10)).toISOString();
  };
  const facts: LedgerFact[] = [registered({ recordedAt: at(0), effectiveOn: '2026-01' })];
  // Entries that set a deadline, with the field that holds it and the action they are about; and corrections.
  const setters: { eventId: string; field: 'due' | 'to'; type: LedgerFact['type'] }[] = [];
  const corrections: { eventId: string; data: Record<string, unknown> }[] = [];
  const revisedTo = [3, 9];
  REFS.forEach((ref, i) => {
    const fact = agreed(ref, month(revisedTo[i]!), { recordedAt: at(1), effectiveOn: '2026-01' });
    facts.push(fact);
    setters.push({ eventId: fact.eventId, field: 'due', type: 'ActionAgreed' });
  });
  steps.forEach((s, i) => {
    const recordedAt = at(i + 2);
    const correct = (data: Record<string, unknown>) => {
      const fact = ledgerFact('EntryCorrected', { ...data, reason: 'As minuted' }, { recordedAt, effectiveOn: '2026-01' });
      facts.push(fact);
      corrections.push({ eventId: fact.eventId, data });
    };
    const setter = setters[('entry' in s ? s.entry : 0) % setters.length]!;
    if (s.kind === 'revise') {
      // The decider refuses a revision to the deadline in force (as recorded here; as corrected, the property passes over).
      if (s.to === revisedTo[s.action]) return;
      const fact = ledgerFact(
        'DeadlineRevised',
        { ref: REFS[s.action], from: month(revisedTo[s.action]!), to: month(s.to), reason: 'Slipped' },
        { recordedAt, effectiveOn: '2026-01-20' },
      );
      revisedTo[s.action] = s.to;
      facts.push(fact);
      setters.push({ eventId: fact.eventId, field: 'to', type: 'DeadlineRevised' });
    } else if (s.kind === 'correct')
      correct({ correctedEventId: setter.eventId, correctedType: setter.type, changes: { [setter.field]: month(s.to) } });
    else if (s.kind === 'wording') correct({ correctedEventId: setter.eventId, correctedType: setter.type, changes: { text: 'Reworded' } });
    else if (s.kind === 'from') {
      // A revision's `from` corrected since: the deadline the ledger showed when it was recorded stays as it was.
      const revisions = setters.filter((e) => e.type === 'DeadlineRevised');
      const revision = revisions[s.entry % Math.max(revisions.length, 1)];
      if (revision) correct({ correctedEventId: revision.eventId, correctedType: 'DeadlineRevised', changes: { from: month(s.to) } });
    } else if (corrections.length > 0) {
      const target = corrections[s.correction % corrections.length]!;
      const amended = target.data as { correctedEventId: string; correctedType: string; changes: Record<string, unknown> };
      const field = setters.find((e) => e.eventId === amended.correctedEventId)?.field ?? 'due';
      if (s.kind === 'amend')
        correct({
          correctedEventId: target.eventId,
          correctedType: 'EntryCorrected',
          changes: { changes: s.to === null ? { text: 'Taken back' } : { [field]: month(s.to) } },
        });
      else {
        // Redirected only to an entry of the same type, as the decider allows.
        const to = setters.filter((e) => e.type === amended.correctedType)[s.entry % setters.length];
        if (to) correct({ correctedEventId: target.eventId, correctedType: 'EntryCorrected', changes: { correctedEventId: to.eventId } });
      }
    }
  });
  const completedAt = at(steps.length + 2);
  return {
    facts,
    completion: ledgerFact(
      'ActionCompleted',
      { ref: '1.1', completedOn: '2026-02-01' },
      { recordedAt: completedAt, effectiveOn: '2026-02-01' },
    ),
  };
};

/**
 * The reference: folds the history entry by entry, noting the deadline the plan showed for 1.1 and when its day last
 * changed, just before each of 1.1's revisions and at the end. Each revision records as its `from` the deadline in force
 * then, as the decider does.
 */
const foldNoting = (facts: LedgerFact[]) => {
  let doc: PlanDoc | undefined;
  let shown: Due | undefined;
  let since = '';
  const beforeRevisions: { recordedAt: string; shown: Due; since: string }[] = [];
  for (const fact of facts) {
    // The decider refuses a revision to the deadline in force, as corrected (deadline-unchanged): no such history.
    const revised = fact.type === 'DeadlineRevised' ? doc!.actions.find((a) => a.ref === fact.data.ref) : undefined;
    fc.pre(!revised || dueDayNumber(currentDue(revised)) !== dueDayNumber((fact.data as { to: Due }).to));
    if (revised) (fact.data as { from: Due }).from = currentDue(revised);
    if (revised?.ref === '1.1') beforeRevisions.push({ recordedAt: fact.recordedAt, shown: shown!, since });
    doc = evolvePlanStatus(doc, fact);
    const action = doc!.actions.find((a) => a.ref === '1.1');
    if (!action) continue;
    const now = currentDue(action);
    if (shown === undefined || dueDayNumber(now) !== dueDayNumber(shown)) since = fact.recordedAt;
    shown = now;
  }
  return { doc: doc!, shown: shown!, since, beforeRevisions };
};

const histories = fc.tuple(fc.array(step, { maxLength: 14 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }));
const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) };

describe('the deadline a completion is weighed against', () => {
  it('is the deadline the plan showed just before the completion on the ledger, and came when its day last changed', () => {
    fc.assert(
      fc.property(histories, ([steps, sameInstant]) => {
        const { facts, completion } = factsOf(steps, sameInstant);
        const { doc, shown, since } = foldNoting(facts);
        const line = planLines(evolvePlanStatus(doc, completion)!).actions.find((a) => a.ref === '1.1')!;
        const late = recordedAfterShownDeadline(completion.recordedAt, shown, since);
        expect(line.closureRecordedAfterDeadline, JSON.stringify({ steps, sameInstant, shown, since })).toEqual(
          late ? { recordedAt: completion.recordedAt, deadlineShown: shown } : null,
        );
      }),
      runs,
    );
  });
});

describe('the deadline a revision is weighed against', () => {
  it('is the one the plan showed just before it on the ledger, named where it had passed, whatever corrections came after', () => {
    fc.assert(
      fc.property(histories, ([steps, sameInstant]) => {
        const { facts } = factsOf(steps, sameInstant);
        const { doc, beforeRevisions } = foldNoting(facts);
        const revisions = planLines(doc).actions.find((a) => a.ref === '1.1')!.details.revisions;
        expect(revisions).toHaveLength(beforeRevisions.length);
        beforeRevisions.forEach(({ recordedAt, shown, since }, i) => {
          const late = recordedAfterShownDeadline(recordedAt, shown, since);
          expect(
            { recordedAfterDeadline: revisions[i]!.recordedAfterDeadline, deadlineShown: revisions[i]!.deadlineShown },
            JSON.stringify({ steps, sameInstant, i, shown, since }),
          ).toEqual({ recordedAfterDeadline: late, deadlineShown: late ? shown : null });
        });
      }),
      runs,
    );
  });
});
