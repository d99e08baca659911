import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { planOnASetClock } from './plan-on-a-set-clock.ts';
import { browserFor, pageWords as words } from './web-support.ts';

const open = useSecuredLedger();

const JUNE = { kind: 'date', date: '2026-06', wording: 'June 2026' } as const;

/**
 * A plan recorded as it went, from January 2026, its actions due in June 2026 unless said; then entries that give
 * themselves dates before their deadlines had passed:
 * - 1.1 revised to November, dated 20 May, recorded 15 July: the ledger had shown June pass unmet;
 * - 1.3 (due September) revised, dated 1 July, recorded 15 July: its deadline had not passed;
 * - 1.4 and 1.5 revised, dated 29 June, recorded at 22:30 and 23:30 UTC on 30 June: 23:30 and 00:30 in London, the
 *   last day of June and the first of July;
 * - 1.6 agreed on 15 July, due in June, dated January (a plan written up late), and revised the next day with a date in
 *   May: the ledger never showed its June deadline pass;
 * - 1.7 (due September) revised, dated 20 June, recorded 15 July, and its first deadline corrected to June on 1
 *   October: on 15 July the ledger showed September, not yet passed;
 * - 1.8 (due 31 January) revised on 20 January to 30 June, then on 15 March with a date of 10 January to 30
 *   September: on 15 March the ledger showed 30 June, not yet passed, whichever revision counts at a business date;
 *   and 1.7's revision's own `from` corrected to June on 2 October: what the ledger showed on 15 July stays September;
 * - 1.9 revised on 15 July, dated 1 February, to March (the ledger had shown June pass), then at once, dated 10 March, to
 *   November: March came onto the ledger already passed, so the second did not move a miss the ledger had shown.
 */
const backdated = async () => {
  const { ledger, post, at, caughtUp, registerPlan } = await planOnASetClock(open, '2026-01-05T10:00:00.000Z');
  const plan = '/plans/probe';
  const revise = (ref: string, effectiveOn: string, date = '2026-11') =>
    post(`${plan}/actions/${ref}/deadline-revisions`, { to: { kind: 'date', date }, reason: 'Awaiting a funding decision', effectiveOn });
  const { agree: agreeDue } = await registerPlan('probe', 'Crisis care action plan');
  const agree = (ref: string, due: object = JUNE) => agreeDue(ref, due);
  for (const ref of ['1.1', '1.4', '1.5']) await agree(ref);
  await agree('1.3', { kind: 'date', date: '2026-09', wording: 'September 2026' });
  const agreed17 = await agree('1.7', { kind: 'date', date: '2026-09' });
  await agree('1.8', { kind: 'date', date: '2026-01-31' });
  await agree('1.9');
  at('2026-01-20T10:00:00.000Z');
  await revise('1.8', '2026-01-20', '2026-06-30');
  at('2026-03-15T10:00:00.000Z');
  await revise('1.8', '2026-01-10', '2026-09-30');
  at('2026-06-30T22:30:00.000Z');
  await revise('1.4', '2026-06-29');
  at('2026-06-30T23:30:00.000Z');
  await revise('1.5', '2026-06-29');
  at('2026-07-15T10:00:00.000Z');
  await revise('1.1', '2026-05-20');
  await revise('1.3', '2026-07-01');
  const revised17 = await revise('1.7', '2026-06-20');
  await revise('1.9', '2026-02-01', '2026-03');
  at('2026-07-15T10:00:01.000Z');
  await revise('1.9', '2026-03-10');
  await agree('1.6');
  at('2026-07-16T10:00:00.000Z');
  await revise('1.6', '2026-05-01');
  at('2026-10-01T10:00:00.000Z');
  await post(`${plan}/corrections`, {
    correctedEventId: agreed17,
    changes: { due: { kind: 'date', date: '2026-06' } },
    reason: 'The minutes give June',
  });
  at('2026-10-02T10:00:00.000Z');
  await post(`${plan}/corrections`, {
    correctedEventId: revised17.eventIds[0],
    changes: { from: { kind: 'date', date: '2026-06' } },
    reason: 'As the first deadline now reads',
  });
  at('2026-11-02T10:00:00.000Z');
  return { ledger, read: await caughtUp() };
};

type Found = { ref: string };
const refsOf = (found: { revisedAfterDeadline: Found[] }) => found.revisedAfterDeadline.map((d) => d.ref);

describe('a deadline revision dated before its deadline but recorded after the ledger had shown that deadline pass', () => {
  it('is listed among the discrepancies as a deadline moved after it had passed, weighed on what the ledger showed when it was recorded', async () => {
    const { read } = await backdated();
    const now = await read('/reports/discrepancies');
    expect(refsOf(now)).toEqual(['1.1', '1.5', '1.9']);
    expect(now.revisedAfterDeadline[2].revisions).toEqual([
      expect.objectContaining({ agreedOn: '2026-02-01', from: JUNE, recordedAfterDeadline: true }),
    ]);
    expect(now.revisedAfterDeadline[0].revisions).toEqual([
      expect.objectContaining({
        agreedOn: '2026-05-20',
        deadlineInForce: JUNE,
        from: JUNE,
        recordedAt: '2026-07-15T10:00:00.000Z',
        agreedAfterDeadline: false,
        recordedAfterDeadline: true,
      }),
    ]);
    expect(now.totals.revisedAfterDeadline).toBe(3);
    // What the ledger said on 14 July: 1.1 missed, not yet moved; 1.5's revision, on 1 July in London, already listed.
    expect(refsOf(await read('/reports/discrepancies?asOf=2026-07-14'))).toEqual(['1.5']);
    const missed = await read('/reports/deadlines?from=2026-06&to=2026-06&asOf=2026-07-14');
    expect(missed.actions.find((a: { ref: string }) => a.ref === '1.1')).toMatchObject({ outcome: 'missed' });
    // What was true at the end of June, or on 15 January, as the ledger knows it now: the same revisions, recorded as they were.
    expect(refsOf(await read('/reports/discrepancies?effectiveOn=2026-06-30'))).toEqual(['1.1', '1.5', '1.9']);
    expect(refsOf(await read('/reports/discrepancies?effectiveOn=2026-01-15'))).toEqual([]);
    // Before 1.7's first deadline was corrected, and since: its revision was recorded while September stood.
    expect(refsOf(await read('/reports/discrepancies?asOf=2026-09-30'))).toEqual(['1.1', '1.5', '1.9']);
  });

  it('says so on its row of the deadline report, in the API, on the page and in the CSV', async () => {
    const { ledger, read } = await backdated();
    const report = await read('/reports/deadlines?from=2026-06&to=2026-06');
    const row = (ref: string) => report.actions.find((a: { ref: string }) => a.ref === ref);
    expect(row('1.1')).toMatchObject({ outcome: 'revised', revisions: [{ agreedAfterDeadline: false, recordedAfterDeadline: true }] });
    for (const ref of ['1.4', '1.6', '1.7'])
      expect(row(ref), ref).toMatchObject({ revisions: [{ agreedAfterDeadline: false, recordedAfterDeadline: false }] });

    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = await browser.get('/web/reports/deadlines?from=2026-06&to=2026-06');
    expect(page.statusCode).toBe(200);
    const rowOf = (ref: string) => words(page.body.split('<tr class="nhsuk-table__row">').find((r) => r.includes(`/actions/${ref}"`))!);
    expect(rowOf('1.1')).toContain(
      'Recorded after the deadline recorded after June 2026 had passed, which the ledger showed missed until then',
    );
    expect(rowOf('1.4')).not.toContain('after the deadline');

    const csv = await browser.get('/web/reports/deadlines.csv?from=2026-06&to=2026-06');
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    const byRef = Object.fromEntries(rows.map((r) => [r.action, r]));
    expect(byRef['1.1']).toMatchObject({ plan_id: 'probe' });
    expect(byRef['1.1']!.revisions).toContain('; recorded after the deadline had passed (the ledger showed June 2026)');
    expect(byRef['1.4']!.revisions).not.toContain('after the deadline');

    const found = await browser.get('/web/reports/discrepancies');
    expect(words(found.body)).toContain(
      'on 20 May 2026, recorded after June 2026 had passed, which the ledger had shown missed, to November 2026 because Awaiting a funding decision',
    );
  });

  it("is tagged beside the revision on the action's page and in the plan page's list of revisions", async () => {
    const { ledger } = await backdated();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const actionPage = async (ref: string) => words((await browser.get(`/web/plans/probe/actions/${ref}`)).body);
    expect(await actionPage('1.1')).toContain('because Awaiting a funding decision Recorded after the deadline recorded 15 July 2026');
    expect(await actionPage('1.1')).toContain('after June 2026 had passed, which the ledger showed missed until then');
    // 1.7's revision was recorded while the ledger showed September: its first deadline was corrected to June since.
    expect(await actionPage('1.7')).not.toContain('after the deadline');
    expect(await actionPage('1.4')).not.toContain('after the deadline');

    const plan = await browser.get('/web/plans/probe');
    const rowOf = (ref: string) => words(plan.body.split('<tr class="nhsuk-table__row">').find((r) => r.includes(`/actions/${ref}"`))!);
    expect(rowOf('1.1')).toContain('to November 2026 because Awaiting a funding decision Recorded after the deadline');
    expect(rowOf('1.4')).not.toContain('after the deadline');
  });
});
