import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { planOnASetClock } from './plan-on-a-set-clock.ts';
import { browserFor, pageWords as words } from './web-support.ts';

const open = useSecuredLedger();

const JUNE = { kind: 'date', date: '2026-06', wording: 'June 2026' } as const;
const SEPTEMBER = { kind: 'date', date: '2026-09' } as const;

/**
 * A plan recorded as it went, from January 2026, its actions due in June 2026 unless said; then closures that give
 * themselves dates before their deadlines had passed, most recorded on 15 July:
 * - 2.1 completed, dated 20 May: the ledger had shown June pass unmet;
 * - 2.2 and 2.3 completed, dated 29 June, recorded at 22:30 and 23:30 UTC on 30 June: 23:30 and 00:30 in London, the
 *   last day of June and the first of July;
 * - 2.4 completed, dated 2 August: after its deadline, so missed by its date as well;
 * - 2.5 (due September) completed, dated 20 June, and its deadline corrected to June on 1 October: on 15 July the
 *   ledger showed September, not yet passed;
 * - 2.6 (due September) corrected to June on 10 June, and 2.7 (due September) corrected to June on 1 July, each then
 *   completed, dated 20 June: the ledger showed 2.6's June pass, while 2.7's June came onto the ledger already passed;
 * - 2.8 revised on 1 March to November, then completed, dated 20 June: the ledger showed November;
 * - 2.9 subsumed into the ACP, dated 20 May; 2.10 completed, dated 20 May, and reopened on 16 July;
 * - 2.11 agreed on 15 July, due in June, dated January (a plan written up late), and completed the next day with a date
 *   in May: the ledger never showed its June deadline pass.
 */
const closedLate = async () => {
  const { ledger, post, at, caughtUp, registerPlan } = await planOnASetClock(open, '2026-01-05T10:00:00.000Z');
  const plan = '/plans/closures';
  const complete = (ref: string, completedOn: string) => post(`${plan}/actions/${ref}/completion`, { completedOn });
  const correctDue = (eventId: string) =>
    post(`${plan}/corrections`, {
      correctedEventId: eventId,
      changes: { due: { kind: 'date', date: '2026-06' } },
      reason: 'The minutes give June',
    });
  const { agree } = await registerPlan('closures', 'Crisis care action plan');
  const agreed: Record<string, string> = {};
  for (let n = 1; n <= 10; n++) agreed[`2.${n}`] = await agree(`2.${n}`, [5, 6, 7].includes(n) ? SEPTEMBER : JUNE);
  at('2026-03-01T10:00:00.000Z');
  await post(`${plan}/actions/2.8/deadline-revisions`, {
    to: { kind: 'date', date: '2026-11' },
    reason: 'Awaiting funding',
    effectiveOn: '2026-03-01',
  });
  at('2026-06-10T10:00:00.000Z');
  await correctDue(agreed['2.6']!);
  at('2026-06-30T22:30:00.000Z');
  await complete('2.2', '2026-06-29');
  at('2026-06-30T23:30:00.000Z');
  await complete('2.3', '2026-06-29');
  at('2026-07-01T10:00:00.000Z');
  await correctDue(agreed['2.7']!);
  at('2026-07-15T10:00:00.000Z');
  for (const ref of ['2.1', '2.10']) await complete(ref, '2026-05-20');
  for (const ref of ['2.5', '2.6', '2.7', '2.8']) await complete(ref, '2026-06-20');
  await post(`${plan}/actions/2.9/subsumption`, {
    into: { kind: 'programme', name: 'ACP' },
    reason: 'Subsumed into the ACP',
    effectiveOn: '2026-05-20',
  });
  await agree('2.11', JUNE);
  at('2026-07-16T10:00:00.000Z');
  await post(`${plan}/actions/2.10/reopening`, { reason: 'The new service has not started', effectiveOn: '2026-07-16' });
  await complete('2.11', '2026-05-01');
  at('2026-08-03T10:00:00.000Z');
  await complete('2.4', '2026-08-02');
  at('2026-10-01T10:00:00.000Z');
  await correctDue(agreed['2.5']!);
  at('2026-11-02T10:00:00.000Z');
  return { ledger, read: await caughtUp() };
};

type Row = { ref: string; outcome: string; closureRecordedAfterDeadline: unknown; closedAfterDeadline?: boolean };
const refsOf = (found: { closedAfterDeadline: { ref: string }[] }) => found.closedAfterDeadline.map((d) => d.ref);
const LATE_ON_15_JULY = { recordedAt: '2026-07-15T10:00:00.000Z', deadlineShown: JUNE };

describe('a completion or closure dated before its deadline but recorded after the ledger had shown that deadline pass', () => {
  it('is named on its row of the deadline report, weighed on the deadline the ledger showed when it was recorded', async () => {
    const { read } = await closedLate();
    const rows = async (clocks = '') => {
      const report = await read(`/reports/deadlines?from=2026-06&to=2026-09${clocks}`);
      return Object.fromEntries((report.actions as Row[]).map((r) => [r.ref, r]));
    };
    const now = await rows();
    expect(now['2.1']).toMatchObject({ outcome: 'met', closureRecordedAfterDeadline: LATE_ON_15_JULY });
    expect(now['2.3']).toMatchObject({
      outcome: 'met',
      closureRecordedAfterDeadline: { recordedAt: '2026-06-30T23:30:00.000Z', deadlineShown: JUNE },
    });
    expect(now['2.4']).toMatchObject({ outcome: 'missed', closureRecordedAfterDeadline: { deadlineShown: JUNE } });
    expect(now['2.6']).toMatchObject({
      outcome: 'met',
      closureRecordedAfterDeadline: { ...LATE_ON_15_JULY, deadlineShown: { kind: 'date', date: '2026-06' } },
    });
    expect(now['2.9']).toMatchObject({ outcome: 'closed', closedAfterDeadline: false, closureRecordedAfterDeadline: LATE_ON_15_JULY });
    for (const ref of ['2.2', '2.5', '2.7', '2.10', '2.11']) expect(now[ref], ref).toMatchObject({ closureRecordedAfterDeadline: null });
    // Revised to November in March: the deadline the ledger showed when it was completed.
    expect(now['2.8']).toMatchObject({ outcome: 'revised', closureRecordedAfterDeadline: null });
    // What the ledger said on 14 July: 2.1 missed, not yet completed; on the business clock before 20 May, likewise.
    expect((await rows('&asOf=2026-07-14'))['2.1']).toMatchObject({ outcome: 'missed', closureRecordedAfterDeadline: null });
    expect((await rows('&effectiveOn=2026-05-19'))['2.1']).toMatchObject({ closureRecordedAfterDeadline: null });
    // What was true at the end of June as the ledger knows it now: the same completion, recorded when it was.
    expect((await rows('&effectiveOn=2026-06-30'))['2.1']).toMatchObject({ outcome: 'met', closureRecordedAfterDeadline: LATE_ON_15_JULY });
    // Before 2.5's deadline was corrected, and since: it was completed while September stood.
    expect((await rows('&asOf=2026-09-30'))['2.5']).toMatchObject({ closureRecordedAfterDeadline: null });
  });

  it("is said of the action in the plan's own view as the deadline report says it, at either clock", async () => {
    const { read } = await closedLate();
    for (const clocks of ['', '?asOf=2026-07-14', '?effectiveOn=2026-06-30']) {
      const plan = await read(`/plans/closures${clocks}`);
      const report = await read(`/reports/deadlines?from=2026-06&to=2026-09${clocks.replace('?', '&')}`);
      const inReport = new Map((report.actions as Row[]).map((r) => [r.ref, r]));
      expect(inReport.size, clocks).toBeGreaterThan(5);
      for (const action of plan.actions as Row[]) {
        const row = inReport.get(action.ref);
        if (!row) continue;
        expect(action.closureRecordedAfterDeadline, `${action.ref} ${clocks}`).toEqual(row.closureRecordedAfterDeadline);
        expect(action.closedAfterDeadline, `${action.ref} ${clocks}`).toBe(row.closedAfterDeadline);
      }
    }
    const now = new Map(((await read('/plans/closures')).actions as Row[]).map((a) => [a.ref, a]));
    expect(now.get('2.1')).toMatchObject({ computedStatus: 'completed-on-time', closureRecordedAfterDeadline: LATE_ON_15_JULY });
    expect(now.get('2.9')).toMatchObject({ closedAfterDeadline: false, closureRecordedAfterDeadline: LATE_ON_15_JULY });
    expect(now.get('2.2')).toMatchObject({ closureRecordedAfterDeadline: null, revisedAfterDeadline: 0 });
  });

  it('is listed among the discrepancies as closed after its deadline had passed, unless its date already counts it missed', async () => {
    const { read } = await closedLate();
    const found = await read('/reports/discrepancies');
    expect(refsOf(found)).toEqual(['2.1', '2.3', '2.6', '2.9']);
    expect(found.totals.closedAfterDeadline).toBe(4);
    expect(found.closedAfterDeadline[0]).toEqual({
      planId: 'closures',
      planTitle: 'Crisis care action plan',
      ref: '2.1',
      text: 'Action 2.1',
      status: 'completed',
      closedOn: '2026-05-20',
      currentDue: JUNE,
      closedAfterDeadline: false,
      closureRecordedAfterDeadline: LATE_ON_15_JULY,
    });
    expect(found.closedAfterDeadline[3]).toMatchObject({ ref: '2.9', status: 'subsumed', closedAfterDeadline: false });
    expect(refsOf(await read('/reports/discrepancies?asOf=2026-07-14'))).toEqual(['2.3']);
    // At the end of June, 2.10 stood completed: its reopening is dated 16 July.
    expect(refsOf(await read('/reports/discrepancies?effectiveOn=2026-06-30'))).toEqual(['2.1', '2.3', '2.6', '2.9', '2.10']);
    expect(refsOf(await read('/reports/discrepancies?effectiveOn=2026-05-19'))).toEqual([]);
  });

  it('says so on the deadline report page, in its CSV and on the discrepancy page', async () => {
    const { ledger } = await closedLate();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = await browser.get('/web/reports/deadlines?from=2026-06&to=2026-06');
    expect(page.statusCode).toBe(200);
    const rowOf = (ref: string) => words(page.body.split('<tr class="nhsuk-table__row">').find((r) => r.includes(`/actions/${ref}"`))!);
    expect(rowOf('2.1')).toContain('20 May 2026 Recorded after the deadline recorded 15 July 2026');
    expect(rowOf('2.1')).toContain('after June 2026 had passed, which the ledger showed missed until then');
    expect(rowOf('2.9')).toContain('No: subsumed 20 May 2026 Recorded after the deadline recorded 15 July 2026');
    expect(rowOf('2.2')).not.toContain('after the deadline');
    // Completed in August: missed by its date, which the row says without the tag.
    expect(rowOf('2.4')).not.toContain('Recorded after the deadline');

    const csv = await browser.get('/web/reports/deadlines.csv?from=2026-06&to=2026-06');
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    const byRef = Object.fromEntries(rows.map((r) => [r.action, r.closure_recorded_after_deadline]));
    expect(byRef).toMatchObject({ '2.1': 'yes', '2.2': 'no', '2.3': 'yes', '2.9': 'yes', '2.10': '', '2.11': 'no' });

    const found = await browser.get('/web/reports/discrepancies');
    expect(words(found.body)).toContain('Completed or closed after its deadline had passed (4)');
    expect(words(found.body)).toContain('completed 20 May 2026, recorded 15 July 2026');
    expect(words(found.body)).toContain('after June 2026 had passed, which the ledger had shown missed');
  });

  it("is tagged on the action's page and in its row of the plan page, unless the action reads completed late anyway", async () => {
    const { ledger } = await closedLate();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const actionPage = async (ref: string) => words((await browser.get(`/web/plans/closures/actions/${ref}`)).body);
    expect(await actionPage('2.1')).toContain('Completed on time Recorded after the deadline the completion was recorded 15 July 2026');
    expect(await actionPage('2.1')).toContain('after June 2026 had passed, which the ledger showed missed until then');
    expect(await actionPage('2.9')).toContain('Subsumed Recorded after the deadline the closure was recorded 15 July 2026');
    expect(await actionPage('2.4')).toContain('Completed late');
    expect(await actionPage('2.4')).not.toContain('Recorded after the deadline');
    expect(await actionPage('2.2')).not.toContain('Recorded after the deadline');

    const plan = await browser.get('/web/plans/closures');
    const rowOf = (ref: string) => words(plan.body.split('<tr class="nhsuk-table__row">').find((r) => r.includes(`/actions/${ref}"`))!);
    expect(rowOf('2.1')).toContain('Completed on time Recorded after the deadline');
    expect(rowOf('2.9')).toContain('Subsumed Recorded after the deadline');
    expect(rowOf('2.4')).not.toContain('Recorded after the deadline');
    expect(rowOf('2.5')).not.toContain('Recorded after the deadline');
  });

  it("is counted among an organisation's completions on time, and tagged on its row of the organisation's page", async () => {
    const { ledger, read } = await closedLate();
    // On time against the deadline in force: 2.1, 2.2, 2.3, 2.5, 2.6, 2.7, 2.8 and 2.11; 2.1, 2.3 and 2.6 recorded late.
    const account = await read('/organisations/Dorset%20CCG');
    expect(account).toMatchObject({
      completedOnTimeAgainstCurrent: 8,
      completedOnTimeRecordedAfterDeadline: 3,
      completedLateAgainstCurrent: 1,
    });
    const listed = Object.fromEntries(
      (account.actions as { ref: string; closureRecordedAfterDeadline: unknown }[]).map((a) => [a.ref, a.closureRecordedAfterDeadline]),
    );
    expect(listed['2.1']).toEqual(LATE_ON_15_JULY);
    expect(listed['2.2']).toBeNull();
    const listing = await read('/organisations');
    // Listed by its canonical name.
    expect(listing.organisations).toEqual([expect.objectContaining({ completedOnTimeRecordedAfterDeadline: 3 })]);
    // What the ledger said on 14 July: none of them completed late on the ledger yet but 2.3.
    expect(await read('/organisations/Dorset%20CCG?asOf=2026-07-14')).toMatchObject({ completedOnTimeRecordedAfterDeadline: 1 });

    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = await browser.get('/web/organisations/Dorset%20CCG');
    expect(words(page.body)).toContain('8 on time (3 of them recorded after the deadline had passed), 1 late');
    const rowOf = (ref: string) => words(page.body.split('<tr class="nhsuk-table__row">').find((r) => r.includes(`/actions/${ref}"`))!);
    expect(rowOf('2.1')).toContain('Completed on time Recorded after the deadline');
    // The figure counts completions; the rows are tagged as the plan's page tags them, a subsumption too.
    expect(rowOf('2.9')).toContain('Subsumed Recorded after the deadline');
    expect(account.actions.find((a: { ref: string }) => a.ref === '2.9')).toMatchObject({ closedAfterDeadline: false });
    expect(rowOf('2.4')).not.toContain('Recorded after the deadline');
  });
});
