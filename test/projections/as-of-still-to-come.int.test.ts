import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDorsetPlan, T } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
  r.setNow(T.now);
});
afterEach(() => r.close());

const READS = [
  '/plans',
  '/plans/dorset-ccc',
  '/plans/dorset-ccc/timeline',
  '/plans/dorset-ccc/actions/1.3/timeline',
  '/organisations',
  '/organisations/Dorset%20CCG',
  '/reports/deadlines',
  '/reports/discrepancies',
];
const read = async (url: string) => {
  const res = await r.app.inject(url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as { asOf: string | null; position?: string; revision?: number; to?: string };
};

/**
 * An answer names the ledger time it holds. A time still to come names a state of the ledger not reached, and one that
 * would change as it is reached: such an asOf is read as the ledger time now, and the answer names that moment, as
 * `ledger view` does. A time already passed is kept as given.
 */
describe('an asOf still to come', () => {
  it('is read as the ledger time now, and every view names that moment, a later one or the end of today alike', async () => {
    for (const url of READS)
      for (const asOf of ['2999-01-01', '2026-11-23', '2026-11-23T12:00:00.001Z']) {
        const answer = await read(`${url}${url.includes('?') ? '&' : '?'}asOf=${asOf}`);
        expect(answer.asOf, `${url} at ${asOf}`).toBe(T.now);
      }
    expect((await read('/plans/dorset-ccc?asOf=2026-11-23T11:59:59.999Z')).asOf).toBe('2026-11-23T11:59:59.999Z');
  });

  it('is read at the ledger time of the last event where that is later than the clock, so that event is in the answer', async () => {
    r.setNow('2026-04-01T00:00:00.000Z');
    const answer = await read('/plans/dorset-ccc?asOf=2999-01-01');
    expect(answer.asOf).toBe(T.updated);
    expect(answer.revision).toBe((await read('/plans/dorset-ccc?asOf=2026-06-01T10:00:00Z')).revision);
  });

  it('on the changes of a plan, compares to the ledger time now and names it as `to`', async () => {
    const answer = await read('/plans/dorset-ccc/changes?from=2026-02-01&to=2999-01-01');
    expect(answer.to).toBe(T.now);
  });

  it('on the changes of a plan, still refuses a window the wrong way round, naming the dates as asked', async () => {
    for (const [query, detail] of [
      // Both ends still to come: read as the ledger time now they would be equal, and the window would pass as empty.
      ['from=2999-02-01&to=2999-01-01', 'from (2999-02-01T23:59:59.999Z) is after to (2999-01-01T23:59:59.999Z)'],
      ['from=2999-01-01&to=2026-06-01', 'from (2999-01-01T23:59:59.999Z) is after to (2026-06-01T22:59:59.999Z)'],
    ]) {
      const res = await r.app.inject(`/plans/dorset-ccc/changes?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.json(), query).toMatchObject({ code: 'invalid-window', detail });
    }
  });
});
