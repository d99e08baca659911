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

const REPORTS = ['/organisations', '/organisations/SWAST', '/reports/deadlines', '/reports/discrepancies'];
const positionOf = async (url: string) => {
  const res = await r.get(url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return (res.json() as { position: string }).position;
};

/**
 * A dashboard or a board-report tool pins a report to the ledger: the position it includes says which events it holds,
 * and is what to pass as minPosition to read on from there, as `GET /plans` says it.
 */
describe('the accountability views and the reports', () => {
  it('name the ledger position they include: now, where the read models stood; at an asOf, the one it resolves to', async () => {
    const head = String(await r.store.headPosition());
    for (const url of REPORTS) expect(await positionOf(url), url).toBe(head);
    const at = `asOf=${encodeURIComponent(T.revised)}`;
    const then = await positionOf(`/plans?${at}`);
    expect(BigInt(then)).toBeLessThan(BigInt(head));
    for (const url of REPORTS) {
      expect(await positionOf(`${url}?${at}`), url).toBe(then);
      expect(await positionOf(`${url}?${at}&effectiveOn=2016-01`), url).toBe(then);
    }
    expect(await positionOf('/organisations?asOf=2025-12-31')).toBe('-1');
  });
});
