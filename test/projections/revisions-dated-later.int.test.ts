import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { planOnASetClock } from '../web/plan-on-a-set-clock.ts';

const open = useSecuredLedger();

/**
 * A plan of January 2026 whose deadlines were revised late, and then again by an entry dated earlier still:
 * - 1.1, due March: on 1 August revised to June with a date of 20 February (the ledger had shown March pass unmet),
 *   then on 1 September revised from June to December with a date of 10 February. The ledger showed June only from
 *   1 August, already passed: the second revision was not recorded after a deadline the ledger had shown pass.
 * - 1.2, due March: on 1 August revised to September with a date of 1 May, then on 15 August completed with a date in
 *   April. The ledger showed September when the completion came, not yet passed.
 * At a business date before the first revisions' dates, a view holds the second entries and not the first.
 */
const revisedThenRevisedEarlier = async (businessDateCorrected: boolean) => {
  const { post, at, caughtUp, registerPlan } = await planOnASetClock(open, '2026-01-05T10:00:00.000Z');
  const { agree } = await registerPlan('setters', 'Crisis care action plan');
  const MARCH = { kind: 'date', date: '2026-03' };
  await agree('1.1', MARCH);
  await agree('1.2', MARCH);
  const revise = (ref: string, effectiveOn: string, date: string) =>
    post(`/plans/setters/actions/${ref}/deadline-revisions`, { to: { kind: 'date', date }, reason: 'Awaiting funding', effectiveOn });
  at('2026-08-01T10:00:00.000Z');
  await revise('1.1', '2026-02-20', '2026-06');
  await revise('1.2', '2026-05-01', '2026-09');
  at('2026-08-15T10:00:00.000Z');
  await post('/plans/setters/actions/1.2/completion', { completedOn: '2026-04', summary: 'Pilot finished' });
  at('2026-09-01T10:00:00.000Z');
  await revise('1.1', '2026-02-10', '2026-12');
  if (businessDateCorrected) {
    // A correction of a business date: a plan's reads at a business date then fold its whole stream.
    const update = await post('/plans/setters/actions/1.1/progress-updates', {
      narrative: 'Funding bid submitted',
      effectiveOn: '2026-09-01',
    });
    await post('/plans/setters/corrections', {
      correctedEventId: update.eventIds[0],
      changes: {},
      correctedEffectiveOn: '2026-08-28',
      reason: 'Submitted on the Friday',
    });
  }
  at('2026-11-02T10:00:00.000Z');
  return caughtUp();
};

type Revision = { recordedAt: string; recordedAfterDeadline: boolean; deadlineShown: unknown };
type Row = { ref: string; revisions: Revision[]; closureRecordedAfterDeadline: unknown };

describe('whether an entry was recorded after the deadline the ledger showed had passed, at a business date', () => {
  it.each([
    ['', false],
    [', a correction of a business date on the plan included', true],
  ])(
    'is weighed against every revision recorded before it, one dated after that business date too, as the ledger showed them%s',
    async (_, corrected) => {
      const read = await revisedThenRevisedEarlier(corrected);
      const rows = async (clocks: string) => {
        const report = await read(`/reports/deadlines?from=2026-01&to=2026-12${clocks}`);
        return Object.fromEntries((report.actions as Row[]).map((r) => [r.ref, r]));
      };
      const secondRevision = (row: Row | undefined) => row?.revisions.find((r) => r.recordedAt === '2026-09-01T10:00:00.000Z');

      const now = await rows('');
      expect(secondRevision(now['1.1'])).toMatchObject({ recordedAfterDeadline: false, deadlineShown: null });
      expect(now['1.2']!.closureRecordedAfterDeadline).toBeNull();

      // The report over every plan (the history's business lines), and with both clocks.
      for (const clocks of ['&effectiveOn=2026-02-15', '&effectiveOn=2026-02-15&asOf=2026-10-01']) {
        const at = await rows(clocks);
        expect(at['1.1']!.revisions, clocks).toHaveLength(1);
        expect(secondRevision(at['1.1']), clocks).toMatchObject({ recordedAfterDeadline: false, deadlineShown: null });
      }
      for (const clocks of ['&effectiveOn=2026-04-30', '&effectiveOn=2026-04-30&asOf=2026-10-01'])
        expect((await rows(clocks))['1.2']!.closureRecordedAfterDeadline, clocks).toBeNull();

      // One plan's view, and the discrepancy report, at those business dates. On 15 February the view holds 1.1's
      // second revision alone; on 30 April both of 1.1's (its first recorded after March had passed) and 1.2's completion.
      const actionsAt = async (effectiveOn: string) => {
        const plan = await read(`/plans/setters?effectiveOn=${effectiveOn}`);
        type Action = { ref: string; revisedAfterDeadline: number; closureRecordedAfterDeadline: unknown };
        return Object.fromEntries((plan.actions as Action[]).map((a) => [a.ref, a]));
      };
      expect((await actionsAt('2026-02-15'))['1.1']).toMatchObject({ revisedAfterDeadline: 0 });
      expect((await actionsAt('2026-04-30'))['1.2']).toMatchObject({ closureRecordedAfterDeadline: null });
      type Found = { ref: string }[];
      const found = async (effectiveOn: string) => {
        const report = await read(`/reports/discrepancies?effectiveOn=${effectiveOn}`);
        return {
          revised: (report.revisedAfterDeadline as Found).map((f) => f.ref),
          closed: (report.closedAfterDeadline as Found).map((f) => f.ref),
        };
      };
      expect(await found('2026-02-15')).toEqual({ revised: [], closed: [] });
      expect(await found('2026-04-30')).toEqual({ revised: ['1.1'], closed: [] });
    },
  );
});
