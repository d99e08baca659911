import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { planOnASetClock } from './plan-on-a-set-clock.ts';
import { browserFor, pageWords as words } from './web-support.ts';

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
  const { post: record, at, caughtUp, registerPlan } = await planOnASetClock(open, '2026-01-05T10:00:00.000Z');
  const post = async (url: string, payload: object) => (await record(url, payload)).eventIds[0]!;
  const plan = '/plans/corrected';
  const correct = (correctedEventId: string, changes: object) =>
    post(`${plan}/corrections`, { correctedEventId, changes, reason: 'As minuted' });
  const { agree } = await registerPlan('corrected', 'Corrected plan');
  const agreed: Record<string, string> = {};
  for (const ref of ['3.1', '3.2', '3.3', '3.4', '3.5']) agreed[ref] = await agree(ref, ref === '3.5' ? JUNE : SEPTEMBER);
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
  return caughtUp();
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

  it('weighs entries by their order on the ledger, so one stamped in the same instant as the completion counts as before it', async () => {
    const { post: record, at, caughtUp, registerPlan } = await planOnASetClock(open, '2026-01-05T10:00:00.000Z');
    const post = async (url: string, payload: object) => (await record(url, payload)).eventIds[0]!;
    const plan = '/plans/instant';
    const { agree } = await registerPlan('instant', 'One instant');
    const agreed: Record<string, string> = {};
    for (const ref of ['4.1', '4.2']) agreed[ref] = await agree(ref, JUNE);
    // Every entry below is stamped 15 July 10:00: a clock held, as the ledger's time holds one behind it.
    at('2026-07-15T10:00:00.000Z');
    const DECEMBER = { kind: 'date', date: '2026-12' };
    await post(`${plan}/actions/4.1/deadline-revisions`, { to: DECEMBER, reason: 'Re-planned', effectiveOn: '2026-06-20' });
    await post(`${plan}/actions/4.1/completion`, { completedOn: '2026-07-01' });
    await post(`${plan}/corrections`, { correctedEventId: agreed['4.2']!, changes: { due: DECEMBER }, reason: 'The minutes say December' });
    await post(`${plan}/actions/4.2/completion`, { completedOn: '2026-07-01' });
    at('2026-07-20T10:00:00.000Z');
    const report = await (await caughtUp())('/reports/deadlines?from=2026-06&to=2026-12');
    for (const row of report.actions as { ref: string; closureRecordedAfterDeadline: unknown }[])
      expect(row.closureRecordedAfterDeadline, row.ref).toBeNull();
    // The revision itself came after June had passed, with a date before: it is named, as a revision.
    expect(report.actions[0].revisions).toEqual([expect.objectContaining({ recordedAfterDeadline: true })]);
  });

  it('is tagged on the pages only where the dates read otherwise, and a revision beside the deadline as the ledger showed it', async () => {
    const { ledger, post: record, at, caughtUp, registerPlan } = await planOnASetClock(open, '2026-01-05T10:00:00.000Z');
    const post = async (url: string, payload: object) => (await record(url, payload)).eventIds[0]!;
    const plan = '/plans/pages';
    const { agree } = await registerPlan('pages', 'Pages');
    const agreed: Record<string, string> = {};
    for (const ref of ['5.1', '5.2', '5.3']) agreed[ref] = await agree(ref, JUNE);
    // 5.1 revised in March to August, and completed on 1 September: late by its own dates, its June deadline in the window.
    at('2026-03-01T10:00:00.000Z');
    await post(`${plan}/actions/5.1/deadline-revisions`, {
      to: { kind: 'date', date: '2026-08' },
      reason: 'Slipped',
      effectiveOn: '2026-03-01',
    });
    // 5.2 revised on 17 July with a date in June, then its deadline and the revision's from corrected to September.
    at('2026-07-17T10:00:00.000Z');
    const revised = await post(`${plan}/actions/5.2/deadline-revisions`, {
      to: { kind: 'date', date: '2026-12' },
      reason: 'Awaiting funding',
      effectiveOn: '2026-06-20',
    });
    at('2026-08-01T10:00:00.000Z');
    await post(`${plan}/corrections`, {
      correctedEventId: agreed['5.2']!,
      changes: { due: SEPTEMBER },
      reason: 'The minutes say September',
    });
    await post(`${plan}/corrections`, { correctedEventId: revised, changes: { from: SEPTEMBER }, reason: 'As the agreement now reads' });
    // 5.1 completed and 5.3 subsumed with a date in July, after June: both on 15 September.
    at('2026-09-15T10:00:00.000Z');
    await post(`${plan}/actions/5.1/completion`, { completedOn: '2026-09-01' });
    await post(`${plan}/actions/5.3/subsumption`, {
      into: { kind: 'programme', name: 'ACP' },
      reason: 'Into the ACP',
      effectiveOn: '2026-07-10',
    });
    at('2026-10-01T10:00:00.000Z');
    await caughtUp();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const rowOf = (html: string, ref: string) =>
      words(html.split('<tr class="nhsuk-table__row">').find((r) => r.includes(`/actions/${ref}"`))!);

    const report = (await browser.get('/web/reports/deadlines?from=2026-06&to=2026-06')).body;
    expect(rowOf(report, '5.1')).not.toContain('Recorded after the deadline');
    expect(rowOf(report, '5.3')).toContain('After the deadline closed after June 2026 had passed');
    const planPage = (await browser.get('/web/plans/pages')).body;
    expect(rowOf(planPage, '5.1')).not.toContain('Recorded after the deadline');
    expect(rowOf(planPage, '5.3')).toContain('Subsumed After the deadline');
    expect(rowOf(planPage, '5.3')).not.toContain('Recorded after the deadline');
    const organisationPage = (await browser.get('/web/organisations/Dorset%20CCG')).body;
    expect(rowOf(organisationPage, '5.3')).toContain('Subsumed After the deadline');
    expect(rowOf(organisationPage, '5.1')).not.toContain('after the deadline');
    const action = async (ref: string) => words((await browser.get(`/web/plans/pages/actions/${ref}`)).body);
    expect(await action('5.3')).toContain('Subsumed After the deadline closed after June 2026 had passed');
    // Weighed against June, as the ledger showed it on 17 July: September, as corrected since, had not passed.
    expect(await action('5.2')).toContain('recorded 17 July 2026');
    expect(await action('5.2')).toContain('after June 2026 had passed, which the ledger showed missed until then');
    expect(await action('5.2')).not.toContain('after September 2026 had passed');
    // The reports name the same deadline, in the API and on their pages.
    const read = await caughtUp();
    const inReport = (await read('/reports/deadlines?from=2026-09&to=2026-12')).actions.find((a: { ref: string }) => a.ref === '5.2');
    expect(inReport.revisions[0]).toMatchObject({ from: SEPTEMBER, recordedAfterDeadline: true, deadlineShown: JUNE });
    // As the history keeps it at a past instant, and on the business clock.
    for (const clock of ['asOf=2026-09-30', 'effectiveOn=2026-09-30']) {
      const atClock = (await read(`/reports/deadlines?from=2026-09&to=2026-12&${clock}`)).actions.find(
        (a: { ref: string }) => a.ref === '5.2',
      );
      expect(atClock.revisions[0], clock).toMatchObject({ from: SEPTEMBER, recordedAfterDeadline: true, deadlineShown: JUNE });
    }
    const found = (await read('/reports/discrepancies')).revisedAfterDeadline.find((a: { ref: string }) => a.ref === '5.2');
    expect(found.revisions[0]).toMatchObject({ from: SEPTEMBER, deadlineShown: JUNE });
    // The plan's own view counts the revision and names the subsumption as the reports do.
    const inPlan = new Map(((await read('/plans/pages')).actions as { ref: string }[]).map((a) => [a.ref, a]));
    expect(inPlan.get('5.2')).toMatchObject({ revisedAfterDeadline: 1, closedAfterDeadline: false });
    expect(inPlan.get('5.3')).toMatchObject({ closedAfterDeadline: true, closureRecordedAfterDeadline: { deadlineShown: JUNE } });
    const reportRow = rowOf((await browser.get('/web/reports/deadlines?from=2026-09&to=2026-12')).body, '5.2');
    expect(reportRow).toContain('Recorded after the deadline recorded after June 2026 had passed');
    const discrepancies = words((await browser.get('/web/reports/discrepancies')).body);
    expect(discrepancies).toContain('recorded after June 2026 had passed, which the ledger had shown missed');
    for (const page of [reportRow, discrepancies]) expect(page).not.toContain('after September 2026 had passed');
    const csv = parse((await browser.get('/web/reports/deadlines.csv?from=2026-09&to=2026-12')).body, { columns: true }) as Record<
      string,
      string
    >[];
    expect(csv.find((r) => r.action === '5.2')!.revisions).toContain(
      '; recorded after the deadline had passed (the ledger showed June 2026)',
    );
  });

  it('at a business date, weighs a completion against the deadline before it on the ledger, not a revision recorded after it', async () => {
    const { post, at, caughtUp, registerPlan } = await planOnASetClock(open, '2026-01-05T10:00:00.000Z');
    const plan = '/plans/reopened';
    const MARCH = { kind: 'date', date: '2026-03' };
    await (await registerPlan('reopened', 'Reopened')).agree('6.1', MARCH);
    // Completed on 10 April with a date of 20 March; reopened in June, and revised then to December with a date in March.
    at('2026-04-10T10:00:00.000Z');
    await post(`${plan}/actions/6.1/completion`, { completedOn: '2026-03-20' });
    at('2026-06-10T10:00:00.000Z');
    await post(`${plan}/actions/6.1/reopening`, { reason: 'Not finished', effectiveOn: '2026-06-10' });
    await post(`${plan}/actions/6.1/deadline-revisions`, {
      to: { kind: 'date', date: '2026-12' },
      reason: 'Re-planned',
      effectiveOn: '2026-03-25',
    });
    at('2026-07-01T10:00:00.000Z');
    const read = await caughtUp();
    // On 1 April, as known now: completed (the reopening is dated June), and revised (dated 25 March) after the completion.
    const report = await read('/reports/deadlines?from=2026-03&to=2026-12&effectiveOn=2026-04-01');
    expect(report.actions).toEqual([
      expect.objectContaining({
        ref: '6.1',
        status: 'completed',
        closureRecordedAfterDeadline: { recordedAt: '2026-04-10T10:00:00.000Z', deadlineShown: MARCH },
      }),
    ]);
  });
});
