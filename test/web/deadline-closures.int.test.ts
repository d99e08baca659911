import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

type Row = { ref: string; outcome: string; status: string; closedOn: string | null; closedAfterDeadline: boolean };

describe('an action subsumed or withdrawn in the deadlines report', () => {
  it('says when it was closed and whether its deadline had passed unmet by then, in the API, the page and the CSV', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const close = async (url: string, payload: object) => {
      const res = await ledger.call(manager, { method: 'POST', url, payload });
      expect(res.statusCode, res.body).toBe(201);
    };
    // 1.3 was due in October 2015 and was subsumed into the ACP in August 2017, twenty-two months after.
    await close('/plans/dorset/actions/1.3/subsumption', {
      into: { kind: 'programme', name: 'ACP' },
      reason: 'Subsumed into the ACP',
      effectiveOn: '2017-08',
    });
    // 2.1 was due in March 2016 and withdrawn within that month: not surely after its deadline.
    await close('/plans/dorset/actions/2.1/withdrawal', { reason: 'No longer needed', effectiveOn: '2016-03' });
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);

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
});
