import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp();
  await r.post('/plans', { planId: 'p1', title: 'P', kind: 'other', owner: 'Dorset CCG' });
});
afterEach(() => r.close());

/**
 * A minPosition is a whole number however many digits it has: one beyond the ledger's head was
 * never handed out by a write, so it is `position-not-written` (docs/projections.md, "Read your
 * writes"), not `validation-failed` saying it "must be a whole number" when it is one.
 */
describe('minPosition with more digits than any ledger position', () => {
  for (const position of ['9999999999999999', '123456789012345678901234567890'])
    for (const clock of ['', '&asOf=2030-01-01', '&effectiveOn=2026-11'])
      it(`refuses ${position}${clock} as position-not-written, writing nothing`, async () => {
        const before = await r.store.count();
        const res = await r.app.inject({ method: 'GET', url: `/plans?minPosition=${position}${clock}` });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.json()).toMatchObject({ code: 'position-not-written' });
        expect(res.json().detail).toContain(`minPosition ${position} is beyond the ledger's last position (0)`);
        expect(await r.store.count()).toBe(before);
      });

  it('still refuses a minPosition that is not a whole number as validation-failed', async () => {
    for (const bad of ['-1', '1.5', 'abc', ''])
      expect((await r.app.inject({ method: 'GET', url: `/plans?minPosition=${bad}` })).json()).toMatchObject({
        code: 'validation-failed',
      });
  });
});
