import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreeActionCommand } from './plan-commands.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

/**
 * README "Read your writes" and docs/projections.md: a read of the views given `minPosition` waits
 * until the views include it, or answers 503 read-model-behind; `/plans` without an asOf names as
 * `position` where the read models stood, "the answer holds every event up to it". Here `ledger rebuild`
 * runs beside the service on its data dir (a real process, stopped between two of its commits): the views
 * it reset hold only what it folded, so a read of them as they stand answers 503 views-rebuilding.
 */
const rebuildChild = fileURLToPath(new URL('./rebuild-child.ts', import.meta.url));
let app: ReadApp;
let rebuild: ChildProcess | undefined;
let head = '';

beforeAll(async () => {
  app = await openReadApp();
  for (const planId of ['plan-a', 'plan-b', 'plan-c']) {
    await app.post('/plans', { planId, title: planId, kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-06' });
    await app.post(`/plans/${planId}/sections`, { sectionRef: '1', title: 'Section', effectiveOn: '2015-06' });
    const { data } = agreeActionCommand('1.1') as { data: Record<string, unknown> };
    for (let n = 0; n < 4; n++)
      head = (
        await app.post(`/plans/${planId}/actions`, {
          ...data,
          ref: `1.${n}`,
          sectionRef: '1',
          due: { kind: 'date', date: '2016-03' },
          effectiveOn: '2015-06',
        })
      ).position;
  }
  expect((await app.get(`/plans`)).json().plans).toHaveLength(3);
  // `ledger rebuild` on the same data dir, held after its first commit (of 5 events): it has reset the views and folded a few.
  rebuild = spawn(process.execPath, ['--import', 'tsx', rebuildChild, app.dir.file('ledger.db'), app.dir.path, '5', '1', '1']);
  await new Promise<void>((resolve, reject) => {
    rebuild!.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('checkpoint') && resolve());
    rebuild!.once('exit', (code) => reject(new Error(`rebuild exited ${code}`)));
  });
}, 60_000);

afterAll(async () => {
  rebuild?.kill('SIGKILL');
  await app.close();
});

describe('reads given the position of a write, while `ledger rebuild` runs beside the service', () => {
  it('list every plan that position includes, or answer 503 views-rebuilding', async () => {
    const res = await app.app.inject({ method: 'GET', url: `/plans?minPosition=${head}` });
    if (res.statusCode !== 503) {
      expect(res.statusCode).toBe(200);
      expect({ position: res.json().position, plans: res.json().plans.map((p: { planId: string }) => p.planId) }).toEqual({
        position: head,
        plans: ['plan-a', 'plan-b', 'plan-c'],
      });
    } else expect(res.json().code).toBe('views-rebuilding');
  });

  it('list every plan at an effectiveOn, or answer 503 views-rebuilding', async () => {
    const res = await app.app.inject({ method: 'GET', url: `/plans?effectiveOn=2016-01&minPosition=${head}` });
    if (res.statusCode !== 503) expect(res.json().plans.map((p: { planId: string }) => p.planId)).toEqual(['plan-a', 'plan-b', 'plan-c']);
    else expect(res.json().code).toBe('views-rebuilding');
  });

  it('answer a plan the position includes, never 404 plan-not-found', async () => {
    const res = await app.app.inject({ method: 'GET', url: `/plans/plan-c?minPosition=${head}` });
    expect([200, 503]).toContain(res.statusCode);
  });

  it('count the plan in the deadline report at an effectiveOn, or answer 503', async () => {
    const res = await app.app.inject({
      method: 'GET',
      url: `/reports/deadlines?from=2016-01&to=2016-12&effectiveOn=2017-01&minPosition=${head}`,
    });
    if (res.statusCode !== 503) expect(res.json().totals.missed).toBe(12);
    else expect(res.json().code).toBe('views-rebuilding');
  });
});
