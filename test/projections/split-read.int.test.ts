import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { splitViews, type ArgsOf, type SplitViewName } from '../../projections/every-plan/split-views.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { createViewPool } from '../../projections/every-plan/view-pool.ts';
import { openReadModels, readModelsFile } from '../../projections/read-models.ts';
import { deadlinesView, discrepanciesView, organisationsPage, organisationView } from '../../projections/views/report-views.ts';
import { plansPage } from '../../projections/views/plan-views.ts';
import { openReadApp, readerWithPool, type ReadApp } from './read-app.ts';

/**
 * Twenty-four plans, each with a different mix of actions: due in 2016 or 2030, led by one of four
 * organisations (two of them names of one), completed late without evidence, or revised three
 * times. Some plans have no findings at all, so a page can end beside one.
 */
const PLANS = Array.from({ length: 24 }, (_, i) => `plan-${String(i).padStart(2, '0')}`);
const LEADS = ['Dorset Police', 'SWAST', 'South Western Ambulance Service NHS Foundation Trust', 'Dorset CCG'];

let r: ReadApp;
const workerErrors: unknown[] = [];
beforeAll(async () => {
  r = await openReadApp({
    now: '2015-03-10T09:00:00.000Z',
    // Every read of every plan at a clock is split, one plan a chunk, and the main thread reads at most a few:
    // the worker reads the rest, however fast this thread is on so small a ledger.
    split: { readWorkers: 1, split: { fromPlans: 1, chunkPlans: 1, mainChunks: 5 }, onReadWorkerError: (e) => workerErrors.push(e) },
  });
  for (const [p, planId] of PLANS.entries()) {
    await r.post('/plans', { planId, title: `Plan ${planId}`, kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2015-03' });
    for (let a = 0; a < p % 5; a++)
      await r.post(`/plans/${planId}/actions`, {
        ref: `1.${a + 1}`,
        text: `Action 1.${a + 1} of ${planId}`,
        leadOrganisations: [LEADS[(p + a) % LEADS.length]],
        partnerOrganisations: a === 1 ? [LEADS[(p + a + 1) % LEADS.length]] : [],
        due: { kind: 'date', date: (p + a) % 3 === 0 ? '2030-01' : `2016-0${a + 1}` },
        effectiveOn: '2015-03',
      });
  }
  r.setNow('2016-01-10T09:00:00.000Z');
  for (const [p, planId] of PLANS.entries())
    if (p % 4 === 1 && p % 5 >= 1)
      for (const date of ['2016-07', '2016-08', '2016-09'])
        await r.post(`/plans/${planId}/actions/1.1/deadline-revisions`, {
          to: { kind: 'date', date },
          reason: 'Delayed',
          effectiveOn: '2016-01',
        });
  r.setNow('2016-06-10T09:00:00.000Z');
  for (const [p, planId] of PLANS.entries())
    if (p % 5 >= 2 && p % 3 !== 0) await r.post(`/plans/${planId}/actions/1.2/completion`, { completedOn: '2016-06' });
  r.setNow('2026-01-05T09:00:00.000Z');
}, 120_000);
afterAll(() => r.close());

const CLOCKS: Clocks[] = [
  { asOf: '2015-03-10T09:00:00.000Z' },
  { asOf: '2016-01-10' },
  { asOf: '2016-05-31' },
  { asOf: '2026-01-01' },
  { effectiveOn: '2015-04' },
  { effectiveOn: '2016-03-15' },
  { effectiveOn: '2016-07' },
  { effectiveOn: '2025-12-31' },
];
const PAGES = [
  WHOLE_REPORT,
  { limit: 1 },
  { limit: 2 },
  { limit: 3 },
  { limit: 7 },
  { limit: 100 },
  { after: 'plan-05', limit: 2 },
  { after: 'plan-20', limit: 1 },
];

/** Every view a read may split, with the arguments the API and `ledger view` give it, at these clocks. */
const everyRequest = (today: string): { view: SplitViewName; args: ArgsOf<SplitViewName> }[] => [
  { view: 'organisations', args: { today } },
  { view: 'planTotals', args: { today } },
  ...PAGES.flatMap((page) => [
    { view: 'account' as const, args: { today, name: 'South Western Ambulance Service NHS Foundation Trust', page } },
    { view: 'account' as const, args: { today, name: 'Dorset Police', page } },
    { view: 'account' as const, args: { today, name: 'Nobody', page } },
    { view: 'deadlines' as const, args: { today, window: { from: '2016-01-01', to: '2016-12-31' }, page } },
    { view: 'deadlines' as const, args: { today, window: { from: '2016-01-01', to: '2016-12-31', organisation: 'SWAST' }, page } },
    { view: 'discrepancies' as const, args: { today, page } },
  ]),
];

/** The view read on this thread alone, as a read of every plan was before there were read workers. */
const oneThread = async (view: SplitViewName, clocks: Clocks, args: ArgsOf<SplitViewName>) =>
  (splitViews[view].run as (plans: unknown, args: unknown, directory: unknown) => unknown)(
    await r.readModels.reader.planLines(clocks),
    args,
    r.readModels.directory,
  );

describe('a read of every plan split between this thread and a read worker', () => {
  it('answers every view at every clock and page exactly as one thread does, the worker reading most of the plans', async () => {
    const before = r.readModels.viewPool!.chunksRead();
    for (const clocks of CLOCKS) {
      const today = r.readModels.reader.today(clocks);
      for (const { view, args } of everyRequest(today)) {
        const split = await r.readModels.reader.everyPlan(view, clocks, args, r.readModels.directory);
        expect(split, `${view} ${JSON.stringify(clocks)} ${JSON.stringify(args)}`).toEqual(await oneThread(view, clocks, args));
      }
    }
    // 24 chunks a read, at most 5 of them this thread's: the worker read the rest of every read.
    const reads = CLOCKS.length * everyRequest('2016-01-01').length;
    expect(r.readModels.viewPool!.chunksRead() - before).toBeGreaterThanOrEqual(reads * 19);
    expect(workerErrors).toEqual([]);
  });

  it('gives the API the same answers, page by page, as a read on one thread gives them', async () => {
    const plain = openReadModels({ store: r.store, dataDir: r.dir.path, clock: () => new Date('2026-01-05T09:00:00.000Z') });
    const alone = { reader: plain.reader, directory: plain.directory };
    const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    try {
      for (const clocks of [{ effectiveOn: '2016-07' }, { asOf: '2016-05-31T23:00:00.000Z' }] as Record<string, string>[]) {
        const query = new URLSearchParams(clocks).toString();
        const answers: [string, () => Promise<unknown>][] = [
          [`/organisations?${query}&limit=3`, () => organisationsPage(alone, clocks, { limit: 3 })],
          [`/organisations/SWAST?${query}&limit=2`, () => organisationView(alone, clocks, 'SWAST', { limit: 2 })],
          [
            `/reports/deadlines?${query}&from=2016-01&to=2016-12&limit=3`,
            () => deadlinesView(alone, clocks, { from: '2016-01', to: '2016-12' }, { limit: 3 }),
          ],
          [`/reports/discrepancies?${query}&limit=2&after=plan-03`, () => discrepanciesView(alone, clocks, { limit: 2, after: 'plan-03' })],
        ];
        for (const [url, oneThreadAnswer] of answers) {
          const res = await r.get(url);
          expect(res.statusCode, res.body).toBe(200);
          const { position: _, ...body } = res.json() as Record<string, unknown>;
          expect(body, url).toEqual(json(await oneThreadAnswer()));
        }
      }
    } finally {
      await plain.close();
    }
  });

  it("adds up the plans, their actions and those overdue as GET /plans' summaries of every plan do, split or not", async () => {
    for (const clocks of [{}, ...CLOCKS]) {
      const today = r.readModels.reader.today(clocks);
      const summaries = [];
      for (let after: string | undefined, page; !page || page.next !== null; after = page.next ?? undefined) {
        page = await plansPage({ reader: r.readModels.reader, directory: r.readModels.directory }, clocks, { after, limit: 5 }, -1n);
        summaries.push(...page.plans);
      }
      expect(summaries.length, JSON.stringify(clocks)).toBeGreaterThan(0);
      const totals = await r.readModels.reader.everyPlan('planTotals', clocks, { today }, r.readModels.directory);
      expect(totals, JSON.stringify(clocks)).toEqual({
        plans: summaries.length,
        actions: summaries.reduce((n, p) => n + p.actions, 0),
        overdue: summaries.reduce((n, p) => n + p.overdue, 0),
      });
    }
  });

  // plan-02 is in this thread's part of the plans, plan-22 in the worker's.
  it.each(['plan-02', 'plan-22'])(
    'folds %s when its business lines wait to be worked out again, rather than read them from the history',
    async (planId) => {
      const clocks = { effectiveOn: '2016-07' };
      const args = { today: r.readModels.reader.today(clocks), page: WHOLE_REPORT };
      const truth = await oneThread('discrepancies', clocks, args);
      expect(JSON.stringify(truth)).toContain(planId);
      // The plan marked to be worked out again, its business lines gone: read from the history, its findings would be missing.
      await r.readModels.runner.stop();
      const db = new Database(readModelsFile(r.dir.path));
      const saved = db
        .prepare<[string], { seq: number; first: number; block: Buffer }>(
          'SELECT seq, first, block FROM business_line_blocks WHERE plan = ?',
        )
        .all(planId);
      db.prepare('DELETE FROM business_line_blocks WHERE plan = ?').run(planId);
      db.prepare('UPDATE history_cursors SET dirty = 1 WHERE plan = ?').run(planId);
      const split = openReadModels({
        store: r.store,
        dataDir: r.dir.path,
        clock: () => new Date('2026-01-05T09:00:00.000Z'),
        readWorkers: 1,
        split: { fromPlans: 1, chunkPlans: 1, mainChunks: 5 },
      });
      try {
        expect(await split.reader.everyPlan('discrepancies', clocks, args, split.directory)).toEqual(truth);
      } finally {
        await split.close();
        const put = db.prepare('INSERT INTO business_line_blocks (plan, seq, first, block) VALUES (?, ?, ?, ?)');
        for (const b of saved) put.run(planId, b.seq, b.first, b.block);
        db.prepare('UPDATE history_cursors SET dirty = 0 WHERE plan = ?').run(planId);
        db.close();
      }
    },
  );
});

describe('a read worker that fails', () => {
  it('that cannot start leaves every read to the calling thread, with the same answers, says why once, and is not started again at each read', async () => {
    const errors: unknown[] = [];
    const pool = createViewPool({ readStoreFile: r.dir.file('no-such-dir/read-models.db'), workers: 1, onError: (e) => errors.push(e) });
    const reader = readerWithPool(r, pool, { fromPlans: 1, chunkPlans: 1 }, '2026-01-05T09:00:00.000Z');
    try {
      for (const clocks of CLOCKS) {
        const args = { today: reader.today(clocks), page: { limit: 2 } };
        expect(await reader.everyPlan('discrepancies', clocks, args, r.readModels.directory)).toEqual(
          await oneThread('discrepancies', clocks, args),
        );
      }
      expect(errors).toHaveLength(1);
      expect(String(errors[0])).toMatch(/unable to open database file|directory does not exist/);
      expect(pool.chunksRead()).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('stops a worker that does not answer in time, says so, and answers the read on the calling thread', async () => {
    const errors: unknown[] = [];
    // No worker answers a read of 24 chunks within a millisecond.
    const pool = createViewPool({
      readStoreFile: readModelsFile(r.dir.path),
      workers: 1,
      answerWithinMs: 1,
      onError: (e) => errors.push(e),
    });
    const reader = readerWithPool(r, pool, { fromPlans: 1, chunkPlans: 1, mainChunks: 1 }, '2026-01-05T09:00:00.000Z');
    try {
      const clocks = { effectiveOn: '2016-07' };
      const args = { today: reader.today(clocks), page: WHOLE_REPORT };
      expect(await reader.everyPlan('discrepancies', clocks, args, r.readModels.directory)).toEqual(
        await oneThread('discrepancies', clocks, args),
      );
      expect(String(errors[0])).toMatch(/did not answer within 1 ms/);
      expect(pool.chunksRead()).toBe(0);
      // Stopped, and not started again at the next read, which the calling thread reads alone.
      expect(await pool.ready()).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
