import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

type Row = { ref: string; outcome: string; status: string; closedOn: string | null; closedAfterDeadline: boolean };

/** The Dorset plan with 1.3 (due October 2015) subsumed in August 2017, and 2.1 (due March 2016) withdrawn in March 2016. */
const closedTwice = async () => {
  const ledger = await open({}, { web: {} });
  const { manager } = await seedDorsetPlan(ledger);
  const close = async (url: string, payload: object) => {
    const res = await ledger.call(manager, { method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(201);
  };
  await close('/plans/dorset/actions/1.3/subsumption', {
    into: { kind: 'programme', name: 'ACP' },
    reason: 'Subsumed into the ACP',
    effectiveOn: '2017-08',
  });
  // An instant between the two: what the ledger said with 1.3 closed and 2.1 not yet.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const between = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await close('/plans/dorset/actions/2.1/withdrawal', { reason: 'No longer needed', effectiveOn: '2016-03' });
  expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
  return Object.assign(ledger, { between });
};

describe('an action subsumed or withdrawn in the deadlines report', () => {
  it('says when it was closed and whether its deadline had passed unmet by then, in the API, the page and the CSV', async () => {
    // 1.3 was subsumed twenty-two months after its deadline; 2.1 withdrawn within its deadline's month, not surely after it.
    const ledger = await closedTwice();
    const api = await ledger.keyFor('viewer');
    const report = async (clocks = '') => {
      const res = await ledger.call(api, { method: 'GET', url: `/reports/deadlines?from=2015-10&to=2018-03${clocks}` });
      expect(res.statusCode, res.body).toBe(200);
      return Object.fromEntries((res.json().actions as Row[]).map((r) => [r.ref, r]));
    };
    const now = await report();
    expect(now['1.3']).toMatchObject({ outcome: 'closed', status: 'subsumed', closedOn: '2017-08', closedAfterDeadline: true });
    expect(now['2.1']).toMatchObject({ outcome: 'closed', status: 'withdrawn', closedOn: '2016-03', closedAfterDeadline: false });
    // On the business clock before the subsumption, 1.3 is the miss it was, and not yet closed.
    const before = await report('&effectiveOn=2017-07');
    expect(before['1.3']).toMatchObject({ outcome: 'missed', closedOn: null, closedAfterDeadline: false });
    // As the ledger stood between the two closures (read from the history of the plan's lines), 2.1 was still open.
    const between = await report(`&asOf=${encodeURIComponent(ledger.between)}`);
    expect(between['1.3']).toMatchObject({ outcome: 'closed', closedOn: '2017-08', closedAfterDeadline: true });
    expect(between['2.1']).toMatchObject({ outcome: 'missed', status: 'open', closedOn: null, closedAfterDeadline: false });

    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = await browser.get('/web/reports/deadlines?from=2015-10&to=2018-03');
    expect(page.statusCode).toBe(200);
    const rowOf = (ref: string) => page.body.split('<tr class="nhsuk-table__row">').find((r) => new RegExp(`/actions/${ref}["?]`).test(r))!;
    expect(rowOf('1.3')).toContain('No: subsumed August 2017 <strong class="nhsuk-tag nhsuk-tag--orange">After the deadline</strong>');
    expect(rowOf('1.3')).toContain('closed after October 2015 had passed');
    expect(rowOf('2.1')).toContain('No: withdrawn March 2016');
    expect(rowOf('2.1')).not.toContain('After the deadline');

    const csv = await browser.get('/web/reports/deadlines.csv?from=2015-10&to=2018-03');
    expect(csv.statusCode).toBe(200);
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    const closures = Object.fromEntries(rows.map((r) => [r.action, [r.outcome, r.closed_as, r.closed_on, r.closed_after_deadline]]));
    expect(closures).toEqual({ '1.3': ['closed', 'subsumed', '2017-08', 'yes'], '2.1': ['closed', 'withdrawn', '2016-03', 'no'] });
  });

  it('is listed among the discrepancies when its deadline had passed first, in the API and on the page, and not before the closure', async () => {
    const ledger = await closedTwice();
    const api = await ledger.keyFor('viewer');
    const read = async (clocks = '') => {
      const res = await ledger.call(api, { method: 'GET', url: `/reports/discrepancies${clocks}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { totals: Record<string, number>; closedAfterDeadline: Record<string, unknown>[] };
    };
    const now = await read();
    expect(now.totals.closedAfterDeadline).toBe(1);
    expect(now.closedAfterDeadline).toEqual([
      {
        planId: 'dorset',
        planTitle: 'Dorset Crisis Care Concordat action plan',
        ref: '1.3',
        text: 'Mapping services',
        status: 'subsumed',
        closedOn: '2017-08',
        currentDue: { kind: 'date', date: '2015-10', wording: 'October 2015' },
        closedAfterDeadline: true,
        // Recorded years after October 2015, as the plan itself was: the ledger never showed that deadline pass.
        closureRecordedAfterDeadline: null,
      },
    ]);
    // On the business clock before the subsumption there is no such closure.
    expect((await read('?effectiveOn=2017-07')).totals.closedAfterDeadline).toBe(0);

    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = await browser.get('/web/reports/discrepancies');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Completed or closed after its deadline had passed (1)');
    expect(page.body).toContain('subsumed August 2017, after October 2015 had passed');
    expect(page.body).not.toContain('withdrawn March 2016');
  });
});
