import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

/**
 * An `asOf` day is the end of that day by London's own clock, whatever its offset was then, and an
 * `asOf` instant must fall in London's years 0001 to 9999 wherever its offset puts it
 * (docs/projections.md, "Every date a write takes can be read at").
 */
let r: ReadApp;
beforeAll(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
});
afterAll(() => r.close());

const read = (url: string) => r.app.inject({ method: 'GET', url });

/** Refused with a problem naming asOf, and nothing written. */
const expectRefused = async (url: string, code: string) => {
  const before = await r.store.count();
  const res = await read(url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json().code).toBe(code);
  expect(res.body).toContain('asOf');
  expect(await r.store.count()).toBe(before);
};

describe('an asOf day ends at the last millisecond of that day in London', () => {
  it.each([
    ['2019-01-15', '2019-01-15T23:59:59.999Z'], // GMT
    ['2019-06-15', '2019-06-15T22:59:59.999Z'], // British Summer Time, UTC+1
    ['2019-03-31', '2019-03-31T22:59:59.999Z'], // the day the clocks went forward
    ['2019-10-27', '2019-10-27T23:59:59.999Z'], // the day the clocks went back
    ['1944-06-06', '1944-06-06T21:59:59.999Z'], // double summer time, UTC+2
    ['1947-05-01', '1947-05-01T21:59:59.999Z'], // double summer time, UTC+2
    ['1800-01-01', '1800-01-02T00:01:14.999Z'], // local mean time, UTC-0:01:15, before Greenwich time
    ['0001-01-01', '0001-01-02T00:01:14.999Z'],
  ])('%s ends at %s, and that day is "today"', async (day, end) => {
    const res = await read(`/plans?asOf=${day}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ asOf: end, today: day });
  });

  it('refuses an effectiveOn of the next day as after the asOf day, in double summer time too', async () => {
    await expectRefused('/plans?asOf=1944-06-06&effectiveOn=1944-06-07', 'effective-on-after-as-of');
    expect((await read('/plans?asOf=1944-06-06&effectiveOn=1944-06-06')).statusCode).toBe(200);
  });
});

describe("an asOf instant outside London's years 0001 to 9999 is refused, wherever its offset puts it", () => {
  // 10000-01-01T04:00Z; 0000-12-31T23:30Z; 0000-12-31 in London (local mean time); 10000-01-01T00:00Z.
  const outside = ['9999-12-31T23:00-05:00', '0001-01-01T00:30+01:00', '0001-01-01T00:00Z', '10000-01-01'];
  it.each(outside)('%s on every read that takes an asOf', async (asOf) => {
    const q = encodeURIComponent(asOf);
    for (const url of [
      `/plans?asOf=${q}`,
      `/plans/dorset-ccc?asOf=${q}`,
      `/organisations?asOf=${q}`,
      `/reports/deadlines?asOf=${q}`,
      `/reports/discrepancies?asOf=${q}`,
      `/plans/dorset-ccc/timeline?asOf=${q}`,
    ]) {
      await expectRefused(url, 'validation-failed');
      // In a form taken, the answer says it is the year that is out of range.
      if (!asOf.startsWith('10000')) expect((await read(url)).body, url).toContain('must be in the years 0001 to 9999 in London');
    }
  });

  it('the changes between two ledger times, either of them outside', async () => {
    const before = await r.store.count();
    const res = await read(`/plans/dorset-ccc/changes?from=2026-01-05&to=${encodeURIComponent('9999-12-31T23:00-05:00')}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe('validation-failed');
    expect(res.body).toContain('to');
    expect(await r.store.count()).toBe(before);
  });

  it('the first and last instants of those years are read', async () => {
    for (const asOf of ['0001-01-01T00:01:15Z', '9999-12-31T23:59:59.999Z', '9999-12-31T18:59:59.999-05:00']) {
      const res = await read(`/plans?asOf=${encodeURIComponent(asOf)}`);
      expect(res.statusCode, `${asOf}: ${res.body}`).toBe(200);
    }
    // A day still to come: everything recorded so far, at today's date, named by the ledger time now (the clock's).
    const last = (await read('/plans?asOf=9999-12-31')).json();
    expect(last).toMatchObject({ asOf: '2026-11-23T12:00:00.000Z', today: (await read('/plans')).json().today });
    expect(last.plans.map((p: { planId: string }) => p.planId)).toEqual(['dorset-ccc']);
  });
});
