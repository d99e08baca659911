import { afterEach, describe, expect, it } from 'vitest';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { splitViews, type ArgsOf, type SplitViewName } from '../../projections/every-plan/split-views.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { openReadApp, readerWithPool, type ReadApp } from './read-app.ts';
import type { ViewPool } from '../../projections/every-plan/view-pool.ts';
import type { SplitOptions } from '../../projections/every-plan/split-read.ts';

/**
 * Split reads (projections/every-plan/) at their edges: a ledger of one plan, the runner committing
 * while the parts are read, and a reset while this thread waits for the worker. Each on a real
 * ledger, read store and read worker thread.
 */
let opened: ReadApp[] = [];
afterEach(async () => {
  for (const r of opened) await r.close();
  opened = [];
});

const open = async (split: NonNullable<Parameters<typeof openReadApp>[0]>['split']) => {
  const r = await openReadApp({ now: '2015-03-10T09:00:00.000Z', split });
  opened.push(r);
  return r;
};

const plan = async (r: ReadApp, planId: string, lead: string) => {
  await r.post('/plans', {
    planId,
    title: `Plan ${planId}`,
    kind: 'crisis-care-concordat',
    owner: 'Dorset CCG',
    effectiveOn: '2015-03',
  });
  return r.post(`/plans/${planId}/actions`, {
    ref: '1.1',
    text: `Action 1.1 of ${planId}`,
    leadOrganisations: [lead],
    partnerOrganisations: [],
    due: { kind: 'date', date: '2016-01' },
    effectiveOn: '2015-03',
  });
};

const oneThread = async (r: ReadApp, view: SplitViewName, clocks: Clocks, args: ArgsOf<SplitViewName>) =>
  (splitViews[view].run as (plans: unknown, args: unknown, directory: unknown) => unknown)(
    await r.readModels.reader.planLines(clocks),
    args,
    r.readModels.directory,
  );

describe('a split read of a ledger of one plan', () => {
  // Two chunks were cut of one plan, each the whole range: the plan was read (and counted) by both threads, or
  // twice by this one, which then refused its plans as out of order.
  it.each([
    ['organisations', { effectiveOn: '2016-07' }, 1],
    ['deadlines', { asOf: '2026-01-01' }, 1],
    ['organisations', { asOf: '2026-01-01' }, undefined],
  ] as const)('answers %s at %j as one thread does, counting the plan once (main chunks %s)', async (view, clocks, mainChunks) => {
    const errors: unknown[] = [];
    const r = await open({
      readWorkers: 1,
      split: { fromPlans: 1, chunkPlans: 1, mainChunks },
      onReadWorkerError: (e) => errors.push(e),
    });
    const { position } = await plan(r, 'plan-only', 'Dorset Police');
    expect(await r.readModels.runner.waitFor(BigInt(position), 10_000)).toBe(true);
    r.setNow('2026-01-05T09:00:00.000Z');
    const today = r.readModels.reader.today(clocks);
    const args =
      view === 'organisations'
        ? { today }
        : {
            today,
            window: { from: '2016-01-01', to: '2016-12-31' },
            page: WHOLE_REPORT,
          };
    const split = await r.readModels.reader.everyPlan(view, clocks, args as never, r.readModels.directory);
    expect(split).toEqual(await oneThread(r, view, clocks, args));
    expect(errors).toEqual([]);
  });
});

describe('a split read at an effectiveOn while the runner commits', () => {
  /**
   * A split read of two plans, one chunk each, with the worker's part held back until the runner has committed an
   * action of each plan: held back before the worker reads its part (this thread's part, plan-a, is read before the
   * commits and the worker's, plan-b, after them), or once the worker has read it (both parts before the commits,
   * merged after them). The pool and the read store are the real ones; only the timing is set. Answers the view before
   * and after the commits, read on one thread, the split read's answer, and how many chunks the worker read.
   */
  const commitDuringASplitRead = async (
    hold: 'before the worker reads' | 'after the worker has read',
    view: 'organisations' | 'deadlines' = 'organisations',
    // One chunk at most for this thread, or as many as it claims before the worker (asked after them) can.
    cut: SplitOptions = { fromPlans: 1, chunkPlans: 1, mainChunks: 1 },
  ) => {
    const r = await open({ readWorkers: 1, split: cut });
    await plan(r, 'plan-a', 'Dorset Police');
    const { position } = await plan(r, 'plan-b', 'Dorset Police');
    expect(await r.readModels.runner.waitFor(BigInt(position), 10_000)).toBe(true);
    r.setNow('2016-01-10T09:00:00.000Z');
    const clocks = { effectiveOn: '2016-07' };
    const today = r.readModels.reader.today(clocks);
    // The deadline report with room on this thread's page: the plans after it are read again here after the wait.
    const args = view === 'organisations' ? { today } : { today, window: { from: '2016-01-01', to: '2016-12-31' }, page: { limit: 100 } };
    const before = await oneThread(r, view, clocks, args);
    const pool = r.readModels.viewPool!;
    let reached!: () => void;
    const held = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const committed = new Promise<void>((resolve) => (release = resolve));
    const heldBack: ViewPool = {
      ...pool,
      ready: () => pool.ready(),
      part: async (...part) => {
        if (hold === 'before the worker reads') {
          reached();
          await committed;
          return pool.part(...part);
        }
        const answer = await pool.part(...part);
        reached();
        await committed;
        return answer;
      },
    };
    const reader = readerWithPool(r, heldBack, cut, '2016-01-10T09:00:00.000Z');
    const chunksBefore = pool.chunksRead();
    const reading = reader.everyPlan(view, clocks, args as never, r.readModels.directory);
    await held;
    // This thread reads its part at once, in the same turn as it asks the worker.
    await new Promise((resolve) => setImmediate(resolve));
    for (const [planId, lead] of [
      ['plan-a', 'Org A'],
      ['plan-b', 'Org B'],
    ]) {
      const written = await r.post(`/plans/${planId}/actions`, {
        ref: '1.2',
        text: `Action 1.2 of ${planId}`,
        leadOrganisations: [lead],
        partnerOrganisations: [],
        due: { kind: 'date', date: '2016-03' },
        effectiveOn: '2016-01',
      });
      expect(await r.readModels.runner.waitFor(BigInt(written.position), 10_000)).toBe(true);
    }
    release();
    const split = await reading;
    return { before, after: await oneThread(r, view, clocks, args), split, workerChunks: pool.chunksRead() - chunksBefore };
  };
  const names = (answer: unknown) => (answer as { organisation: string }[]).map((a) => a.organisation);

  it("answers a state the ledger was in, not this thread's part from before a commit and the worker's from after it", async () => {
    const { before, after, split } = await commitDuringASplitRead('before the worker reads');
    expect([names(before), names(after)]).toEqual([['Dorset Police'], ['Dorset Police', 'Org A', 'Org B']]);
    // Parts of two states would be plan-b's action without plan-a's: the read is read again on one thread instead.
    expect(names(split)).toEqual(names(after));
    expect(split).toEqual(after);
  });

  it('answers the state its parts saw when they were all read before the commits, without reading the view again', async () => {
    const { before, after, split, workerChunks } = await commitDuringASplitRead('after the worker has read');
    expect([names(before), names(after)]).toEqual([['Dorset Police'], ['Dorset Police', 'Org A', 'Org B']]);
    // Both parts saw the state before the commits: that state is the answer, merged from the parts.
    expect(split).toEqual(before);
    expect(workerChunks).toBe(1);
  });

  it('answers the state this thread read every plan in when the worker, asked after the commits, found no chunk left', async () => {
    // The worker read nothing of the history: the state it looked at says nothing of the answer.
    const { before, split, workerChunks } = await commitDuringASplitRead('before the worker reads', 'organisations', {
      fromPlans: 1,
      chunkPlans: 1,
    });
    expect(workerChunks).toBe(0);
    // Every plan was read in one state, this thread's: that state is the answer, not a second read on one thread.
    expect(split).toEqual(before);
  });

  it('reads the view again on one thread when the plans after its page, read after the wait, saw the commits', async () => {
    // This thread's page (plan-a, read before the commits) has room: the plans after it are read again here once the
    // worker has answered, after the commits. Merged, they would show plan-b's new action without plan-a's.
    const { before, after, split } = await commitDuringASplitRead('after the worker has read', 'deadlines');
    const refs = (answer: unknown) => (answer as { actions: { planId: string; ref: string }[] }).actions.map((a) => `${a.planId} ${a.ref}`);
    expect([refs(before), refs(after)]).toEqual([
      ['plan-a 1.1', 'plan-b 1.1'],
      ['plan-a 1.1', 'plan-a 1.2', 'plan-b 1.1', 'plan-b 1.2'],
    ]);
    expect(split).toEqual(after);
  });
});

describe('a split read whose history is reset after the workers read their parts', () => {
  it('is read again on this thread, as the reset read models answer, rather than refused', async () => {
    const r = await open({ readWorkers: 1, split: { fromPlans: 1, chunkPlans: 1, mainChunks: 1 } });
    let position = '0';
    for (const planId of ['plan-a', 'plan-b', 'plan-c', 'plan-d']) ({ position } = await plan(r, planId, 'Dorset Police'));
    expect(await r.readModels.runner.waitFor(BigInt(position), 10_000)).toBe(true);
    await r.readModels.runner.stop();
    r.setNow('2026-01-05T09:00:00.000Z');
    const clocks = { asOf: '2026-01-01' };
    const { reader, directory, readStore } = r.readModels;
    // A page with room after this thread's plan: the plans after it are read again here once the worker has answered.
    const args = { today: reader.today(clocks), window: { from: '2016-01-01', to: '2016-12-31' }, page: { limit: 100 } };
    const truth = await oneThread(r, 'deadlines', clocks, args);
    // The worker started and warm, so it reads its chunks at once.
    expect(await reader.everyPlan('deadlines', clocks, args, directory)).toEqual(truth);
    const reading = reader.everyPlan('deadlines', clocks, args, directory);
    for (let i = 0; i < 100; i++) await Promise.resolve();
    // This thread has read its chunk and waits for the worker; the worker reads its chunks meanwhile, and answers.
    const until = Date.now() + 500;
    while (Date.now() < until);
    // A rebuild starts (this process's or another's) before the answer is taken: the history is reset.
    readStore.reset('plan-status', readStore.checkpoint('plan-status')!.version, true);
    expect(await reading).toEqual(truth);
  });
});
