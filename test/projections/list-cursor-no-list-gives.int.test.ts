import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeAll(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
});
afterAll(() => r.close());

/** Every list paged by a plan id or an organisation's name. */
const LISTS = [
  '/plans',
  '/organisations',
  '/organisations/Dorset%20Police',
  '/reports/discrepancies',
  '/reports/deadlines?from=2015-01&to=2030-12',
];
const withAfter = (list: string, after: string) => `${list}${list.includes('?') ? '&' : '?'}after=${after}`;

describe('a list cursor no list could have given', () => {
  it('is refused 400 unknown-cursor naming after, as a name holding that character is refused, and nothing is written', async () => {
    for (const list of LISTS)
      for (const after of ['%00zz', 'dorset%00', '%1F', '%EF%BF%BE']) {
        const before = await r.store.count();
        const res = await r.app.inject({ method: 'GET', url: withAfter(list, after) });
        expect(res.statusCode, `${list} after=${after}: ${res.body}`).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json()).toMatchObject({ code: 'unknown-cursor', errors: [{ location: 'querystring.after' }] });
        expect(await r.store.count()).toBe(before);
      }
  });

  it('is told from one a name could hold: such a cursor, sorting before every name, still lists from the start', async () => {
    for (const list of LISTS) {
      const res = await r.app.inject({ method: 'GET', url: withAfter(list, '!') });
      expect(res.statusCode, `${list}: ${res.body}`).toBe(200);
    }
    expect((await r.get('/plans?after=!')).json().plans.map((p: { planId: string }) => p.planId)).toEqual(['dorset-ccc']);
  });
});
