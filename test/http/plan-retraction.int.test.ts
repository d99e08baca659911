import { afterEach, describe, expect, it } from 'vitest';
import { openReadApp, type ReadApp } from '../projections/read-app.ts';

/**
 * A bad import taken back: the retracted plan leaves every current view and report
 * (with any organisation only it names), stays in its timeline, its raw events and every
 * "as of" answer before the retraction, and its document can be imported again under a
 * new plan id. A retraction is reversed by a reinstatement.
 */
const SHIFTED = [
  'Westshire crisis care plan, updated March 2016',
  '',
  '\tNo.',
  '\tAction',
  '\tLed by',
  '\tTimescale',
  '\t1.1',
  '\tOpen a crisis café',
  '\tWestshire Lantern Trust',
  '\tDecember 2015',
  '',
].join('\n');

describe('retracting a bad import', () => {
  let ctx: ReadApp;
  afterEach(async () => ctx?.close());

  const importShifted = async (planId?: string) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/imports',
      payload: { fileName: 'westshire.txt', content: SHIFTED, owner: 'Dorset CCG', ...(planId ? { planId } : {}) },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { planId: string; position: string };
  };
  const names = async (url: string) => (await ctx.get(url)).json();

  it('leaves current views and reports, keeps its history, and frees its document for a new plan id', async () => {
    ctx = await openReadApp({ now: '2026-11-20T12:00:00.000Z' });
    const { planId } = await importShifted();
    await ctx.get(`/plans?minPosition=0`);
    expect((await names('/plans')).plans.map((p: { planId: string }) => p.planId)).toEqual([planId]);
    expect((await names('/organisations')).organisations.map((o: { organisation: string }) => o.organisation)).toContain(
      'Westshire Lantern Trust',
    );
    const beforeRetraction = '2026-11-21T00:00:00.000Z';
    expect(JSON.stringify(await names('/reports/deadlines?from=2015-01&to=2016-12'))).toContain(planId);

    ctx.setNow('2026-11-22T12:00:00.000Z');
    const before = await ctx.store.count();
    const retracted = await ctx.post(`/plans/${planId}/retraction`, { reason: 'Columns shifted on import: leads are action texts' });
    expect(await ctx.store.count()).toBe(before + 1);

    expect((await names('/plans')).plans).toEqual([]);
    expect((await names('/organisations')).organisations.map((o: { organisation: string }) => o.organisation)).not.toContain(
      'Westshire Lantern Trust',
    );
    expect(JSON.stringify(await names('/reports/deadlines?from=2015-01&to=2016-12'))).not.toContain(planId);
    expect(JSON.stringify(await names('/reports/discrepancies'))).not.toContain(planId);
    const gone = await ctx.get(`/plans/${planId}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({
      code: 'plan-retracted',
      retraction: { reason: 'Columns shifted on import: leads are action texts' },
    });

    // Its history stays: the timeline, the raw events, and the views as they were before.
    const timeline = (await names(`/plans/${planId}/timeline`)).entries.map((e: { type: string }) => e.type);
    expect(timeline).toEqual(['PlanRegistered', 'ActionAgreed', 'PlanRetracted']);
    const events = await ctx.app.inject({ method: 'GET', url: `/plans/${planId}/events` });
    expect(events.json().events.map((e: { type: string }) => e.type)).toEqual(['PlanRegistered', 'ActionAgreed', 'PlanRetracted']);
    expect((await ctx.get(`/plans?asOf=${beforeRetraction}`)).json().plans.map((p: { planId: string }) => p.planId)).toEqual([planId]);
    expect((await ctx.get(`/plans/${planId}?asOf=${beforeRetraction}`)).statusCode).toBe(200);
    expect(
      (await ctx.get(`/organisations?asOf=${beforeRetraction}`)).json().organisations.map((o: { organisation: string }) => o.organisation),
    ).toContain('Westshire Lantern Trust');

    // The same document again: refused while the plan stood, accepted under a new plan id now.
    const again = await importShifted('westshire-corrected');
    expect(again.planId).toBe('westshire-corrected');
    expect(retracted.eventIds).toHaveLength(1);
  });

  it('refuses the same document under a new plan id while the plan stands, and after a reinstatement', async () => {
    ctx = await openReadApp({ now: '2026-11-20T12:00:00.000Z' });
    const { planId } = await importShifted();
    const before = await ctx.store.count();
    const refused = await ctx.app.inject({
      method: 'POST',
      url: '/imports',
      payload: { fileName: 'westshire.txt', content: SHIFTED, planId: 'another' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'document-already-imported', planId });
    expect(await ctx.store.count()).toBe(before);

    await ctx.post(`/plans/${planId}/retraction`, { reason: 'Wrong file' });
    await ctx.post(`/plans/${planId}/reinstatement`, { reason: 'It was the right file after all' });
    expect((await names('/plans')).plans.map((p: { planId: string }) => p.planId)).toEqual([planId]);
    expect((await ctx.get(`/plans/${planId}`)).statusCode).toBe(200);
    const afterReinstatement = await ctx.store.count();
    const stillRefused = await ctx.app.inject({
      method: 'POST',
      url: '/imports',
      payload: { fileName: 'westshire.txt', content: SHIFTED, planId: 'another' },
    });
    expect(stillRefused.statusCode).toBe(409);
    expect(await ctx.store.count()).toBe(afterReinstatement);
  });

  it("names the day of a retraction as London's, as the retraction's own business date and the pages do", async () => {
    ctx = await openReadApp({ now: '2026-06-30T12:00:00.000Z' });
    const { planId } = await importShifted();
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    ctx.setNow('2026-06-30T23:30:00.000Z');
    await ctx.post(`/plans/${planId}/retraction`, { reason: 'Wrong file' });
    const gone = await ctx.get(`/plans/${planId}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().detail).toMatch(new RegExp(`^Plan ${planId} was retracted on 2026-07-01 by `));
    expect(gone.json().retraction.recordedAt).toBe('2026-06-30T23:30:00.000Z');
  });

  it('answers bad requests with problem details and writes nothing', async () => {
    ctx = await openReadApp({ now: '2026-11-20T12:00:00.000Z' });
    const { planId } = await importShifted();
    const count = await ctx.store.count();
    const cases: [string, object, number, string][] = [
      [`/plans/${planId}/retraction`, {}, 400, 'validation-failed'],
      [`/plans/${planId}/retraction`, { reason: '  ' }, 400, 'validation-failed'],
      [`/plans/no-such-plan/retraction`, { reason: 'Wrong file' }, 404, 'plan-not-found'],
      [`/plans/${planId}/reinstatement`, { reason: 'Not retracted' }, 409, 'plan-not-retracted'],
    ];
    for (const [url, payload, status, code] of cases) {
      const res = await ctx.app.inject({ method: 'POST', url, payload });
      expect(res.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ code });
      expect(await ctx.store.count()).toBe(count);
    }
    await ctx.post(`/plans/${planId}/retraction`, { reason: 'Wrong file' });
    const twice = await ctx.app.inject({ method: 'POST', url: `/plans/${planId}/retraction`, payload: { reason: 'Again' } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'plan-retracted' });
    const update = await ctx.app.inject({ method: 'POST', url: `/plans/${planId}/sections`, payload: { sectionRef: '2', title: 'More' } });
    expect(update.statusCode).toBe(409);
    expect(update.json()).toMatchObject({ code: 'plan-retracted' });
    expect(await ctx.store.count()).toBe(count + 1);
  });
});
