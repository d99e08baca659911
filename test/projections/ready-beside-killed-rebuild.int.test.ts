import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/http/app.ts';
import { openReadModels } from '../../projections/read-models.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import type { EventStore } from '../../src/store/port.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { agreeActionCommand } from './plan-commands.ts';
import { OPERATOR } from './read-app.ts';

const rebuildChild = fileURLToPath(new URL('./rebuild-child.ts', import.meta.url));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const open = async (lookForMovesMs: number) => {
  const dir = makeTempDir('ready-beside-rebuild-');
  const real = openSqliteEventStore({ file: dir.file('ledger.db') });
  let slowMs = 0;
  // The service's store, its readAll made slow on demand (a big backlog, in small).
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'readAll')
        return (opts: Parameters<EventStore['readAll']>[0]) =>
          (async function* () {
            for await (const e of target.readAll(opts)) {
              if (slowMs > 0) await new Promise((r) => setTimeout(r, slowMs));
              yield e;
            }
          })();
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as typeof real;
  const clock = () => new Date('2026-11-23T12:00:00.000Z');
  const readModels = openReadModels({ store, dataDir: dir.path, clock, runner: { lookForMovesMs } });
  await readModels.runner.start();
  const app = await buildApp({ store, operator: OPERATOR, clock, readModels: { ...readModels, readYourWritesTimeoutMs: 2000 } });
  closers.push(async () => {
    await app.close();
    await readModels.close();
    await real.close();
    dir.remove();
  });
  let head = '';
  const post = async (url: string, payload: object) => {
    const res = await app.inject({ method: 'POST', url, payload });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    head = res.json().position;
  };
  for (const planId of ['plan-a', 'plan-b', 'plan-c']) {
    await post('/plans', { planId, title: planId, kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-06' });
    await post(`/plans/${planId}/sections`, { sectionRef: '1', title: 'Section', effectiveOn: '2015-06' });
    const { data } = agreeActionCommand('1.1') as { data: Record<string, unknown> };
    for (let n = 0; n < 4; n++) await post(`/plans/${planId}/actions`, { ...data, ref: `1.${n}`, sectionRef: '1', effectiveOn: '2015-06' });
  }
  const ready = async () => {
    const res = await app.inject({ method: 'GET', url: '/ready' });
    return { status: res.statusCode, code: res.json().code as string | undefined };
  };
  /** The list of plans, or the code it was refused with: never part of it. */
  const plans = async () => {
    const res = await app.inject({ method: 'GET', url: '/plans' });
    if (res.statusCode !== 200) return { status: res.statusCode, code: res.json().code as string };
    return { position: res.json().position as string, count: res.json().plans.length as number };
  };
  const killedRebuild = async () => {
    const rebuild = spawn(process.execPath, ['--import', 'tsx', rebuildChild, dir.file('ledger.db'), dir.path, '5', '1', '1']);
    await new Promise<void>((resolve, reject) => {
      rebuild.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('checkpoint') && resolve());
      rebuild.once('exit', (code) => reject(new Error(`rebuild exited ${code}`)));
    });
    const exited = once(rebuild, 'exit');
    rebuild.kill('SIGKILL');
    await exited;
  };
  /** /ready and the list of plans every 200 ms: ready first, as the views only come further, so lists read after a 200 must be whole. */
  const sampled = async (times: number) => {
    const samples: string[] = [];
    for (let i = 0; i < times; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const r = await ready();
      const p = await plans();
      const list = 'code' in p ? `refused ${p.status} ${p.code}` : `position ${p.position} plans ${p.count}`;
      samples.push(`${i * 200}ms ${list} ready ${r.status} ${r.code ?? ''}`);
    }
    return samples;
  };
  /** No sample with the list partial, nor ready while the list is refused; then ready, with every plan at the head. */
  const neverReadyPartialThenReady = async (samples: string[]) => {
    expect(
      samples.filter((x) => /plans [012] ready/.test(x) || /refused .* ready 200/.test(x)),
      samples.join('\n'),
    ).toEqual([]);
    await expect.poll(ready, { timeout: 10_000, interval: 100 }).toEqual({ status: 200, code: undefined });
    expect(await plans()).toEqual({ position: head, count: 3 });
  };
  return {
    app,
    post,
    ready,
    plans,
    killedRebuild,
    sampled,
    neverReadyPartialThenReady,
    head: () => head,
    slow: (ms: number) => void (slowMs = ms),
  };
};

/**
 * docs/projections.md, "The runner and the read store": a rebuild beside the service resets the views it shares, and
 * until the service has folded them to the ledger's head again, /ready says 503 views-rebuilding, however the
 * service comes to fold them: its look for moves, or a write of its own. The service's reads of the ledger are slowed
 * (the real store, each event held a moment) so that a small backlog takes as long to fold again as a large one.
 */
describe('/ready after a rebuild beside the service is killed part way', () => {
  it('is 503 at once, before the service has looked whether the store moved', async () => {
    const s = await open(60_000);
    expect(await s.ready()).toEqual({ status: 200, code: undefined });
    await s.killedRebuild();
    const after = await s.plans();
    const r = await s.ready();
    expect(after).toEqual({ status: 503, code: 'views-rebuilding' });
    expect(r).toEqual({ status: 503, code: 'views-rebuilding' });
  }, 60_000);

  it('stays 503 while a write of its own sends the service to fold the views again, and is 200 once they are folded', async () => {
    const s = await open(60_000);
    await s.killedRebuild();
    s.slow(150);
    // A write wakes the runner: its pass takes the store as the rebuild left it and folds again from there.
    const write = s.post('/plans/plan-a/sections', { sectionRef: '2', title: 'Two', effectiveOn: '2015-06' });
    const samples = await s.sampled(10);
    s.slow(0);
    await write;
    await s.neverReadyPartialThenReady(samples);
  }, 60_000);
});

describe("/ready after a rebuild that began and ended between two of the service's looks", () => {
  it('stays 503 while the service folds the views again, and is 200 once they are folded', async () => {
    const s = await open(3_000);
    await s.killedRebuild();
    s.slow(150);
    const samples = await s.sampled(30);
    s.slow(0);
    await s.neverReadyPartialThenReady(samples);
  }, 60_000);
});
