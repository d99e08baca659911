import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadApp, type ReadApp } from '../projections/read-app.ts';

/** Every whole number a read takes in its query string, with a value in range. */
const ROUTES = [
  ['/plans', 'limit', '5'],
  ['/organisations', 'limit', '5'],
  ['/reports/deadlines', 'limit', '5'],
  ['/reports/discrepancies', 'limit', '5'],
  ['/plans/plan-a/timeline', 'limit', '5'],
  ['/plans/plan-a/events', 'fromRevision', '0'],
  ['/plans/plan-a/events', 'limit', '5'],
  ['/ledger/events', 'limit', '5'],
] as const;

let r: ReadApp;
beforeAll(async () => {
  r = await openReadApp();
  await r.post('/plans', { planId: 'plan-a', title: 'Plan A', kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2015-03' });
});
afterAll(() => r.close());

describe.each(ROUTES)('%s ?%s=', (route, name, good) => {
  it('answers a whole number written in digits', async () => {
    const res = await r.app.inject({ method: 'GET', url: `${route}?${name}=${good}` });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('refuses anything else, and the same parameter given twice, saying which and why, writing nothing', async () => {
    for (const [value, says] of [
      ['1e2', /must be a whole number/],
      ['0x10', /must be a whole number/],
      ['%20', /must be a whole number/],
      ['-1', /must be a whole number/],
      ['2.5', /must be a whole number/],
      [`${good}&${name}=${good}`, /must be given once/],
    ] as const) {
      const before = await r.store.count();
      const res = await r.app.inject({ method: 'GET', url: `${route}?${name}=${value}` });
      expect(res.statusCode, `${name}=${value}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json() as { code: string; errors: { location: string; message: string }[] };
      expect(problem.code).toBe('validation-failed');
      expect(problem.errors).toEqual([{ location: `querystring.${name}`, message: expect.stringMatching(says) }]);
      expect(await r.store.count()).toBe(before);
    }
  });
});
