import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';

const open = useSecuredLedger();

const JUNE = { kind: 'date', date: '2026-06', wording: 'June 2026' } as const;
const SEPTEMBER = { kind: 'date', date: '2026-09', wording: 'September 2026' } as const;

/**
 * Actions agreed in January, each completed on 15 July with a date of 20 June, after corrections of their deadlines:
 * - 3.1 (due September) corrected to June on 1 May, and that correction amended back to September on 2 May;
 * - 3.2 (due September) corrected to June on 1 May, and that correction made on 2 May to correct the wording alone;
 * - 3.3 (due September) corrected to June on 1 May, and that correction redirected on 2 May to 3.4's agreement
 *   (3.4 due September): from 2 May the ledger showed 3.3 due in September and 3.4 in June;
 * - 3.5 (due June) with only its deadline's wording corrected on 1 July, the month as it was: the ledger had shown June
 *   pass on 1 July all the same.
 */
const correctedThenClosed = async () => {
  let now = new Date('2026-01-05T10:00:00.000Z');
  const ledger = await open({}, { web: {}, clock: () => now });
  const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
  const post = async (url: string, payload: object) => {
    const res = await ledger.call(manager, { method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { eventIds: string[] }).eventIds[0]!;
  };
  const plan = '/plans/corrected';
  const at = (instant: string) => void (now = new Date(instant));
  const correct = (correctedEventId: string, changes: object) =>
    post(`${plan}/corrections`, { correctedEventId, changes, reason: 'As minuted' });
  await post('/plans', {
    planId: 'corrected',
    title: 'Corrected plan',
    kind: 'crisis-care-concordat',
    owner: 'Dorset CCG',
    effectiveOn: '2026-01',
  });
  const agreed: Record<string, string> = {};
  for (const ref of ['3.1', '3.2', '3.3', '3.4', '3.5'])
    agreed[ref] = await post(`${plan}/actions`, {
      ref,
      text: `Action ${ref}`,
      leadOrganisations: ['Dorset CCG'],
      due: ref === '3.5' ? JUNE : SEPTEMBER,
      effectiveOn: '2026-01',
    });
  at('2026-05-01T10:00:00.000Z');
  const toJune = { due: { kind: 'date', date: '2026-06' } };
  const [c1, c2, c3] = [
    await correct(agreed['3.1']!, toJune),
    await correct(agreed['3.2']!, toJune),
    await correct(agreed['3.3']!, toJune),
  ];
  at('2026-05-02T10:00:00.000Z');
  await correct(c1, { changes: { due: SEPTEMBER } });
  await correct(c2, { changes: { text: 'Action 3.2, reworded' } });
  await correct(c3, { correctedEventId: agreed['3.4']! });
  at('2026-07-01T10:00:00.000Z');
  await correct(agreed['3.5']!, { due: { kind: 'date', date: '2026-06', wording: 'By the end of June 2026' } });
  at('2026-07-15T10:00:00.000Z');
  for (const ref of ['3.1', '3.2', '3.3', '3.4', '3.5']) await post(`${plan}/actions/${ref}/completion`, { completedOn: '2026-06-20' });
  at('2026-07-20T10:00:00.000Z');
  expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
  const viewer = await ledger.keyFor('viewer', 'Dorset CCG');
  return async (url: string) => {
    const res = await ledger.call(viewer, { method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
};

describe('a completion weighed against the deadline the ledger showed just before it was recorded', () => {
  it('takes that deadline as the corrections then stood, corrections of them included, and not from a correction of its wording alone', async () => {
    const read = await correctedThenClosed();
    const report = await read('/reports/deadlines?from=2026-06&to=2026-09');
    const flags = Object.fromEntries(
      (report.actions as { ref: string; closureRecordedAfterDeadline: { deadlineShown: unknown } | null }[]).map((r) => [
        r.ref,
        r.closureRecordedAfterDeadline?.deadlineShown ?? null,
      ]),
    );
    expect(flags).toEqual({
      '3.1': null,
      '3.2': null,
      '3.3': null,
      '3.4': { kind: 'date', date: '2026-06' },
      '3.5': { kind: 'date', date: '2026-06', wording: 'By the end of June 2026' },
    });
    const found = await read('/reports/discrepancies');
    expect(found.closedAfterDeadline.map((d: { ref: string }) => d.ref)).toEqual(['3.4', '3.5']);
  });
});
