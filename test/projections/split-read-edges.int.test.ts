import { afterEach, describe, expect, it } from 'vitest';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { splitViews, type ArgsOf, type SplitViewName } from '../../projections/every-plan/split-views.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { openReadApp, readerWithPool, type ReadApp } from './read-app.ts';
import type { ViewPool } from '../../projections/every-plan/view-pool.ts';

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
  it("answers a state the ledger was in, not this thread's part from before a commit and the worker's from after it", async () => {
    const r = await open({ readWorkers: 1, split: { fromPlans: 1, chunkPlans: 1, mainChunks: 1 } });
    await plan(r, 'plan-a', 'Dorset Police');
    const { position } = await plan(r, 'plan-b', 'Dorset Police');
    expect(await r.readModels.runner.waitFor(BigInt(position), 10_000)).toBe(true);
    r.setNow('2016-01-10T09:00:00.000Z');
    const clocks = { effectiveOn: '2016-07' };
    const args = { today: r.readModels.reader.today(clocks) };
    const before = await oneThread(r, 'organisations', clocks, args);
    // The read's worker part held back until the runner has committed: this thread reads plan-a (its one chunk) before
    // the commits, the worker plan-b after them. The pool and the read store are the real ones; only the timing is set.
    const pool = r.readModels.viewPool!;
    let asked!: () => void;
    const partAsked = new Promise<void>((resolve) => (asked = resolve));
    let release!: () => void;
    const committed = new Promise<void>((resolve) => (release = resolve));
    const heldBack: ViewPool = {
      ...pool,
      ready: () => pool.ready(),
      part: async (...part) => {
        asked();
        await committed;
        return pool.part(...part);
      },
    };
    const reader = readerWithPool(r, heldBack, { fromPlans: 1, chunkPlans: 1, mainChunks: 1 }, '2016-01-10T09:00:00.000Z');
    const reading = reader.everyPlan('organisations', clocks, args, r.readModels.directory);
    await partAsked;
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
    const after = await oneThread(r, 'organisations', clocks, args);
    const names = (answer: unknown) => (answer as { organisation: string }[]).map((a) => a.organisation);
    expect([names(before), names(after)]).toEqual([['Dorset Police'], ['Dorset Police', 'Org A', 'Org B']]);
    // Parts of two states would be plan-b's action without plan-a's: the read is read again on one thread instead.
    expect(names(split)).toEqual(names(after));
    expect(split).toEqual(after);
  });
});

describe('a split read at an effectiveOn whose parts were all read before the runner commits', () => {
  /**
   * A split read whose worker's answer is held back, once it has read its part, until the runner has committed an
   * action of each plan: this thread's part and the worker's were read before the commit, and the read is merged after
   * it. The view's answer before and after the commit, on one thread, and the split read's; and the chunks the worker read.
   */
  const commitAfterTheParts = async (view: 'organisations' | 'deadlines', page?: { limit: number }) => {
    const r = await open({ readWorkers: 1, split: { fromPlans: 1, chunkPlans: 1, mainChunks: 1 } });
    await plan(r, 'plan-a', 'Dorset Police');
    const { position } = await plan(r, 'plan-b', 'Dorset Police');
    expect(await r.readModels.runner.waitFor(BigInt(position), 10_000)).toBe(true);
    r.setNow('2016-01-10T09:00:00.000Z');
    const clocks = { effectiveOn: '2016-07' };
    const today = r.readModels.reader.today(clocks);
    const args = view === 'organisations' ? { today } : { today, window: { from: '2016-01-01', to: '2016-12-31' }, page: page! };
    const before = await oneThread(r, view, clocks, args);
    const pool = r.readModels.viewPool!;
    let answered!: () => void;
    const partAnswered = new Promise<void>((resolve) => (answered = resolve));
    let release!: () => void;
    const committed = new Promise<void>((resolve) => (release = resolve));
    const heldBack: ViewPool = {
      ...pool,
      ready: () => pool.ready(),
      part: async (...part) => {
        const answer = await pool.part(...part);
        answered();
        await committed;
        return answer;
      },
    };
    const reader = readerWithPool(r, heldBack, { fromPlans: 1, chunkPlans: 1, mainChunks: 1 }, '2016-01-10T09:00:00.000Z');
    const chunksBefore = pool.chunksRead();
    const reading = reader.everyPlan(view, clocks, args as never, r.readModels.directory);
    await partAnswered;
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

  it('answers the state its parts saw, without reading the view again on one thread', async () => {
    const { before, after, split, workerChunks } = await commitAfterTheParts('organisations');
    const names = (answer: unknown) => (answer as { organisation: string }[]).map((a) => a.organisation);
    expect([names(before), names(after)]).toEqual([['Dorset Police'], ['Dorset Police', 'Org A', 'Org B']]);
    // Both parts saw the state before the commit: that state is the answer, merged from the parts.
    expect(split).toEqual(before);
    expect(workerChunks).toBe(1);
  });

  it('reads the view again on one thread when the plans after its page, read after the wait, saw the commits', async () => {
    // This thread's page (plan-a, read before the commits) has room: the plans after it are read again here once the
    // worker has answered, after the commits. Merged, they would show plan-b's new action without plan-a's.
    const { before, after, split } = await commitAfterTheParts('deadlines', { limit: 100 });
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
