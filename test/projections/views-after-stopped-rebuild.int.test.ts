import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreeActionCommand } from './plan-commands.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

/**
 * docs/projections.md, "The runner and the read store": `ledger rebuild` beside the service resets
 * the views they share. While it folds, the service leaves the store to it rather than race it for
 * every write; killed part way, it leaves them behind the ledger, and the service folds them again
 * by itself, on a quiet ledger too, where no new event would wake it.
 */
const rebuildChild = fileURLToPath(new URL('./rebuild-child.ts', import.meta.url));
let app: ReadApp;
let head = '';

beforeAll(async () => {
  app = await openReadApp({ lookForMovesMs: 100 });
  for (const planId of ['plan-a', 'plan-b', 'plan-c']) {
    await app.post('/plans', { planId, title: planId, kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-06' });
    await app.post(`/plans/${planId}/sections`, { sectionRef: '1', title: 'Section', effectiveOn: '2015-06' });
    const { data } = agreeActionCommand('1.1') as { data: Record<string, unknown> };
    for (let n = 0; n < 4; n++)
      head = (await app.post(`/plans/${planId}/actions`, { ...data, ref: `1.${n}`, sectionRef: '1', effectiveOn: '2015-06' })).position;
  }
}, 60_000);

afterAll(async () => {
  await app.close();
});

const ready = async () => {
  const res = await app.app.inject({ method: 'GET', url: '/ready' });
  return { status: res.statusCode, code: res.json().code as string | undefined, retryAfter: res.headers['retry-after'] };
};

const plain = async () => {
  const res = await app.app.inject({ method: 'GET', url: '/plans' });
  if (res.statusCode !== 200) return { status: res.statusCode, code: res.json().code as string };
  return { position: res.json().position as string, plans: res.json().plans.map((p: { planId: string }) => p.planId) as string[] };
};

describe('the views beside a rebuild, with nothing appended', () => {
  it('are left to the rebuild while it runs, not ready meanwhile, and folded again by the service once it is killed part way', async () => {
    expect((await app.get('/plans')).json().plans).toHaveLength(3);
    expect(await ready()).toEqual({ status: 200, code: undefined, retryAfter: undefined });
    // Kept by the service as the live view of that plan.
    expect((await app.app.inject({ method: 'GET', url: '/plans/plan-c' })).statusCode).toBe(200);
    // Held after its first commit (of 5 events): it has reset the views and folded a few.
    const rebuild = spawn(process.execPath, ['--import', 'tsx', rebuildChild, app.dir.file('ledger.db'), app.dir.path, '5', '1', '1']);
    await new Promise<void>((resolve, reject) => {
      rebuild.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('checkpoint') && resolve());
      rebuild.once('exit', (code) => reject(new Error(`rebuild exited ${code}`)));
    });
    // The service looks every 100 ms: for ten looks it sees the store moved, and leaves it to the rebuild.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // The views hold only what the rebuild folded: a read of them as they stand, today's or at a business date alone, is
    // refused rather than answered with part of them (the list short, a plan not found), as /ready says.
    for (const url of ['/plans', '/plans/plan-c', '/plans?effectiveOn=2016-01', '/organisations', '/reports/discrepancies']) {
      const res = await app.app.inject({ method: 'GET', url });
      expect({ url, status: res.statusCode, code: res.json().code, retryAfter: res.headers['retry-after'] }).toEqual({
        url,
        status: 503,
        code: 'views-rebuilding',
        retryAfter: '5',
      });
    }
    expect(await ready()).toEqual({ status: 503, code: 'views-rebuilding', retryAfter: '5' });
    // A read at an asOf folds what the views do not hold yet: it is answered in full.
    const asOf = await app.app.inject({ method: 'GET', url: `/plans?asOf=${encodeURIComponent(new Date().toISOString())}` });
    expect(asOf.statusCode).toBe(200);
    expect(asOf.json().plans.map((p: { planId: string }) => p.planId)).toEqual(['plan-a', 'plan-b', 'plan-c']);

    const exited = once(rebuild, 'exit');
    rebuild.kill('SIGKILL');
    await exited;
    await expect.poll(plain, { timeout: 15_000, interval: 100 }).toEqual({ position: head, plans: ['plan-a', 'plan-b', 'plan-c'] });
    await expect.poll(ready, { timeout: 5_000, interval: 100 }).toEqual({ status: 200, code: undefined, retryAfter: undefined });
  }, 60_000);
});
