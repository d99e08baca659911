import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

/*
 * GET /plans/:planId's ETag is a strong validator of what it sends (RFC 9110 §8.8.3: it changes
 * whenever the body does), and a write's If-Match still takes it and compares the plan's revision.
 */

let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp({ now: '2026-11-23T12:00:00.000Z' });
  await recordDorsetPlan(r);
});
afterEach(() => r.close());

const newSection = (ifMatch: string, sectionRef: string) =>
  r.app.inject({
    method: 'POST',
    url: '/plans/dorset-ccc/sections',
    headers: { 'if-match': ifMatch },
    payload: { sectionRef, title: 'Urgent and Emergency Access' },
  });

describe('GET /plans/:planId ETag', () => {
  it('read now, is the revision and the day its statuses are for, so it changes when the day does as the body does', async () => {
    const today = await r.get('/plans/dorset-ccc');
    const { revision } = today.json<{ revision: number }>();
    expect(today.headers.etag).toBe(`"${revision}@2026-11-23"`);
    r.setNow('2026-11-24T12:00:00.000Z');
    const tomorrow = await r.get('/plans/dorset-ccc');
    expect(tomorrow.json()).toMatchObject({ revision, today: '2026-11-24' });
    expect(tomorrow.body).not.toBe(today.body); // days overdue moved on
    expect(tomorrow.headers.etag).toBe(`"${revision}@2026-11-24"`);
  });

  it('is not sent with a read at an effectiveOn, an asOf or both, whose body is not the plan a write is checked against', async () => {
    const live = await r.get('/plans/dorset-ccc');
    expect(live.headers.etag).toBeDefined();
    for (const query of ['effectiveOn=2015-09', 'asOf=2026-11-23T12:00:00Z', 'asOf=2026-11-23&effectiveOn=2016-01']) {
      const res = await r.get(`/plans/dorset-ccc?${query}`);
      expect(res.statusCode, query).toBe(200);
      expect(res.headers.etag, query).toBeUndefined();
      expect(res.json(), query).toHaveProperty('revision');
    }
  });

  it('taken by If-Match on a write, compares the revision: honoured a day later, 412 once the plan changed, writing nothing', async () => {
    const etag = (await r.get('/plans/dorset-ccc')).headers.etag as string;
    const revision = Number(/^"(\d+)@/.exec(etag)![1]);
    r.setNow('2026-11-24T12:00:00.000Z');
    const written = await newSection(etag, '2');
    expect(written.statusCode, written.body).toBe(201);
    expect(written.headers.etag).toBe(`"${revision + 1}"`);
    const before = await r.store.count();
    const stale = await newSection(etag, '3');
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'revision-mismatch', currentRevision: revision + 1 });
    for (const malformed of [
      `"${revision + 1}@tomorrow"`,
      `W/"${revision + 1}@2026-11-24"`,
      `"${revision + 1}@"`,
      `"${revision + 1}@9999-99-99"`,
      `"${revision + 1}@2026-02-30"`,
    ]) {
      const refused = await newSection(malformed, '3');
      expect(refused.statusCode, malformed).toBe(400);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.json().code, malformed).toBe('invalid-if-match');
    }
    expect(await r.store.count()).toBe(before);
    // The revision alone, as a write answers it, is taken as before.
    expect((await newSection(`"${revision + 1}"`, '3')).statusCode).toBe(201);
  });
});
