import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/** A page's words, without its markup. */
const words = (html: string) =>
  html
    .replaceAll('&#39;', "'")
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

const JUNE = { kind: 'date', date: '2026-06', wording: 'June 2026' } as const;

/**
 * A plan recorded as it went, in January 2026, its actions due in June 2026; then, in July, entries that give themselves
 * dates before the end of June:
 * - 1.1 revised to November, dated 20 May, recorded 15 July: the ledger had shown June pass unmet;
 * - 1.2 subsumed, dated 10 June, recorded 15 July: the same, by a closure;
 * - 1.3 (due September) revised, dated 1 July, recorded 15 July: its deadline had not passed;
 * - 1.4 and 1.5 revised, dated 29 June, recorded at 22:30 and 23:30 UTC on 30 June: 23:30 and 00:30 in London, the
 *   last day of June and the first of July;
 * - 1.6 agreed on 15 July, due in June, dated January (a plan written up late), and revised the next day with a date in
 *   May: the ledger never held its June deadline as it passed.
 */
const backdated = async () => {
  let now = new Date('2026-01-05T10:00:00.000Z');
  const ledger = await open({}, { web: {}, clock: () => now });
  const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
  const post = async (url: string, payload: object) => {
    const res = await ledger.call(manager, { method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(201);
  };
  const plan = '/plans/probe';
  const agree = (ref: string, due: object) =>
    post(`${plan}/actions`, { ref, text: `Action ${ref}`, leadOrganisations: ['Dorset CCG'], due, effectiveOn: '2026-01' });
  const revise = (ref: string, effectiveOn: string) =>
    post(`${plan}/actions/${ref}/deadline-revisions`, {
      to: { kind: 'date', date: '2026-11', wording: 'November 2026' },
      reason: 'Awaiting a funding decision',
      effectiveOn,
    });
  await post('/plans', {
    planId: 'probe',
    title: 'Crisis care action plan',
    kind: 'crisis-care-concordat',
    owner: 'Dorset CCG',
    effectiveOn: '2026-01',
  });
  for (const ref of ['1.1', '1.2', '1.4', '1.5']) await agree(ref, JUNE);
  await agree('1.3', { kind: 'date', date: '2026-09', wording: 'September 2026' });
  now = new Date('2026-06-30T22:30:00.000Z');
  await revise('1.4', '2026-06-29');
  now = new Date('2026-06-30T23:30:00.000Z');
  await revise('1.5', '2026-06-29');
  now = new Date('2026-07-15T10:00:00.000Z');
  await revise('1.1', '2026-05-20');
  await post(`${plan}/actions/1.2/subsumption`, {
    into: { kind: 'programme', name: 'ACP' },
    reason: 'Into the ACP',
    effectiveOn: '2026-06-10',
  });
  await revise('1.3', '2026-07-01');
  await agree('1.6', JUNE);
  now = new Date('2026-07-16T10:00:00.000Z');
  await revise('1.6', '2026-05-01');
  now = new Date('2026-08-01T10:00:00.000Z');
  expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
  const viewer = await ledger.keyFor('viewer', 'Dorset CCG');
  const read = async (url: string) => {
    const res = await ledger.call(viewer, { method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  return { ledger, read };
};

type Found = { ref: string; revisions?: { agreedAfterDeadline: boolean; recordedAfterDeadline: boolean }[] };

describe('a revision or closure dated before its deadline but recorded after the ledger had shown it pass', () => {
  it('is listed among the discrepancies as a deadline moved, or an action closed, after it had passed, and one the ledger never held as it passed is not', async () => {
    const { read } = await backdated();
    const now = await read('/reports/discrepancies');
    expect(now.revisedAfterDeadline.map((d: Found) => d.ref)).toEqual(['1.1', '1.5']);
    expect(now.revisedAfterDeadline[0].revisions).toEqual([
      expect.objectContaining({
        agreedOn: '2026-05-20',
        deadlineInForce: JUNE,
        recordedAt: '2026-07-15T10:00:00.000Z',
        agreedAfterDeadline: false,
        recordedAfterDeadline: true,
      }),
    ]);
    expect(now.totals.revisedAfterDeadline).toBe(2);
    expect(now.closedAfterDeadline).toEqual([
      expect.objectContaining({
        ref: '1.2',
        status: 'subsumed',
        closedOn: '2026-06-10',
        closedAfterDeadline: false,
        recordedAfterDeadline: true,
      }),
    ]);
    // What the ledger said on 14 July: nothing moved yet, the deadlines missed.
    const before = await read('/reports/discrepancies?asOf=2026-07-14');
    expect(before.totals).toMatchObject({ revisedAfterDeadline: 1, closedAfterDeadline: 0 }); // 1.5's, on 1 July in London
    const missed = await read('/reports/deadlines?from=2026-06&to=2026-06&asOf=2026-07-14');
    expect(Object.fromEntries(missed.actions.map((a: { ref: string; outcome: string }) => [a.ref, a.outcome]))).toMatchObject({
      '1.1': 'missed',
      '1.2': 'missed',
    });
    // What was true at the end of June, as the ledger knows it now: the revision is dated by then, and was recorded late.
    const onTheDay = await read('/reports/discrepancies?effectiveOn=2026-06-30');
    expect(onTheDay.revisedAfterDeadline.map((d: Found) => d.ref)).toEqual(['1.1', '1.5']);
  });

  it('says so on its row of the deadline report, in the API, on the page and in the CSV', async () => {
    const { ledger, read } = await backdated();
    const report = await read('/reports/deadlines?from=2026-06&to=2026-06');
    const row = (ref: string) => report.actions.find((a: { ref: string }) => a.ref === ref);
    expect(row('1.1')).toMatchObject({ outcome: 'revised', revisions: [{ agreedAfterDeadline: false, recordedAfterDeadline: true }] });
    expect(row('1.4')).toMatchObject({ revisions: [{ agreedAfterDeadline: false, recordedAfterDeadline: false }] });
    expect(row('1.6')).toMatchObject({ revisions: [{ agreedAfterDeadline: false, recordedAfterDeadline: false }] });
    expect(row('1.2')).toMatchObject({ outcome: 'closed', closedAfterDeadline: false, closureRecordedAfterDeadline: true });

    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = await browser.get('/web/reports/deadlines?from=2026-06&to=2026-06');
    expect(page.statusCode).toBe(200);
    const rowOf = (ref: string) => words(page.body.split('<tr class="nhsuk-table__row">').find((r) => r.includes(`/actions/${ref}"`))!);
    expect(rowOf('1.1')).toContain(
      'Recorded after the deadline recorded after June 2026 had passed, which the ledger showed missed until then',
    );
    expect(rowOf('1.2')).toContain('No: subsumed 10 June 2026 Recorded after the deadline recorded after June 2026 had passed');
    expect(rowOf('1.4')).not.toContain('after the deadline');

    const csv = await browser.get('/web/reports/deadlines.csv?from=2026-06&to=2026-06');
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    const byRef = Object.fromEntries(rows.map((r) => [r.action, r]));
    expect(byRef['1.1']!.revisions).toContain('; recorded after the deadline had passed');
    expect(byRef['1.4']!.revisions).not.toContain('after the deadline');
    expect(byRef['1.2']).toMatchObject({ plan_id: 'probe', closed_after_deadline: 'no', closure_recorded_after_deadline: 'yes' });
    expect(byRef['1.1']).toMatchObject({ plan_id: 'probe', closure_recorded_after_deadline: '' });

    const found = await browser.get('/web/reports/discrepancies');
    expect(words(found.body)).toContain('on 20 May 2026, dated before June 2026 had passed but recorded after it, to November 2026');
    expect(words(found.body)).toContain('subsumed 10 June 2026, dated before June 2026 had passed but recorded after it');
  });
});
