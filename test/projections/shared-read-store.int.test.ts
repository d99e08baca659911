import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { openReadModels, projections, type ReadModels } from '../../projections/read-models.ts';
import { createProjectionRunner } from '../../projections/runner/runner.ts';
import { openReadStore } from '../../projections/runner/sqlite/read-store.ts';
import { buildApp } from '../../src/app/http/app.ts';
import { sweepViews } from '../../src/evidence/sweep-views.ts';
import { evidenceFilesProjection } from '../../projections/evidence-files/projection.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { OPERATOR } from './read-app.ts';

/*
 * Several service instances on one data dir (several `ledger serve` on one machine) share the
 * ledger file and the read store. Each is opened here on connections of its own, as another
 * process has them: a real ledger file and a real read store, written through both.
 */
const clock = () => new Date('2026-11-23T12:00:00.000Z');

interface Instance {
  store: SqliteEventStore;
  readModels: ReadModels;
  app: FastifyInstance;
}

let dir: ReturnType<typeof makeTempDir> | undefined;
const opened: Instance[] = [];
afterEach(async () => {
  for (const { app, readModels, store } of opened.splice(0)) {
    await app.close();
    await readModels.close();
    await store.close();
  }
  dir?.remove();
});

/**
 * One instance: its own connections to the ledger and to the read store of `dataDir`. `folds`
 * stands between its runner and the ledger, for a test to hold a fold at a chosen event.
 */
const instance = async (
  dataDir: string,
  {
    folds = (store) => store,
    onError,
    othersPollMs = 20,
  }: { folds?: (store: SqliteEventStore) => SqliteEventStore; onError?: (error: unknown) => void; othersPollMs?: number } = {},
): Promise<Instance> => {
  const store = openSqliteEventStore({ file: dir!.file('ledger.db'), othersPollMs });
  const readModels = openReadModels({
    store: folds(store),
    dataDir,
    clock,
    runner: { rebuildWorkers: 1, lookAgainMs: 50, ...(onError ? { onError } : {}) },
  });
  await readModels.runner.start();
  const app = await buildApp({ store, operator: OPERATOR, clock, readModels: { ...readModels, readYourWritesTimeoutMs: 5000 } });
  const made = { store, readModels, app };
  opened.push(made);
  return made;
};

const post = async ({ app }: Instance, url: string, payload: object) => {
  const res = await app.inject({ method: 'POST', url, payload });
  if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return BigInt((res.json() as { position: string }).position);
};

/** A plan with a section, an action with its own words and lead, and an update: each a value of the history of its own. */
const writePlan = async (through: Instance, n: number) => {
  const planId = `shared-${String(n).padStart(2, '0')}`;
  await post(through, '/plans', {
    planId,
    title: `Title ${n}`,
    kind: 'crisis-care-concordat',
    owner: `Owner ${n}`,
    effectiveOn: '2015-06',
  });
  await post(through, `/plans/${planId}/sections`, { sectionRef: 'S1', title: `Section ${n}`, effectiveOn: '2015-06' });
  await post(through, `/plans/${planId}/actions`, {
    ref: '1.1',
    text: `Unique text ${n}`,
    leadOrganisations: [`Lead ${n}`],
    due: { kind: 'date', date: `2016-${String((n % 12) + 1).padStart(2, '0')}`, wording: `Wording ${n}` },
    effectiveOn: '2015-06',
  });
  return post(through, `/plans/${planId}/actions/1.1/progress-updates`, {
    narrative: `Update ${n}`,
    reportedRag: { rating: 'Green' },
    effectiveOn: '2016-02',
  });
};

const READS = [
  '/plans?limit=1000',
  '/organisations?limit=1000',
  '/reports/deadlines?from=2015-01&to=2017-12&limit=1000',
  '/reports/discrepancies?limit=1000',
  '/plans?limit=1000&effectiveOn=2016-03',
  '/organisations?limit=1000&effectiveOn=2016-01',
  '/reports/deadlines?from=2015-01&to=2017-12&limit=1000&effectiveOn=2016-06',
];

/** Every read's answer once the instance has applied `position`. */
const answers = async ({ app }: Instance, position: bigint, extra: string[] = []) => {
  const out: Record<string, unknown> = {};
  for (const url of [...READS, ...extra]) {
    const res = await app.inject({ method: 'GET', url: `${url}&minPosition=${position}` });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    out[url] = res.json();
  }
  return out;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const registration = (planId: string, title: string) => ({
  planId,
  title,
  kind: 'crisis-care-concordat',
  owner: 'Dorset CCG',
  effectiveOn: '2015-06',
});

describe('several instances sharing one data dir', () => {
  it('written through each in turn, every view of each answers as a read store built from the ledger alone', async () => {
    dir = makeTempDir('ledger-shared-');
    const a = await instance(dir.path);
    const b = await instance(dir.path);
    let last = 0n;
    const asOfs: string[] = [];
    for (let n = 0; n < 12; n++) {
      last = await writePlan(n % 2 === 0 ? a : b, n);
      if (n % 4 === 3) asOfs.push(new Date(Date.now()).toISOString());
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const atClocks = asOfs.flatMap((asOf) => [`/plans?limit=1000&asOf=${asOf}`, `/organisations?limit=1000&asOf=${asOf}`]);
    const reference = await instance(dir.file('reference'));
    const expected = await answers(reference, last, atClocks);
    expect((expected['/plans?limit=1000'] as { plans: unknown[] }).plans).toHaveLength(12);
    expect(await answers(a, last, atClocks)).toEqual(expected);
    expect(await answers(b, last, atClocks)).toEqual(expected);
  });

  it("drops a fold that another instance's commit overtook, rather than write it over that commit", async () => {
    dir = makeTempDir('ledger-shared-');
    // A's runner stops after each event it reads while `held` is set: B commits in between.
    let held: Promise<void> | undefined;
    let release = () => {};
    const holding = (store: SqliteEventStore): SqliteEventStore => ({
      ...store,
      readAll: (options) =>
        (async function* () {
          for await (const event of store.readAll(options)) {
            yield event;
            if (held) await held;
          }
        })(),
    });
    const a = await instance(dir.path, { folds: holding });
    const b = await instance(dir.path);
    await post(b, '/plans', registration('p0', 'Title 0'));
    await sleep(100);
    held = new Promise<void>((resolve) => (release = resolve));
    // A reads its own event and waits, its new values given ids in memory; B folds it and one of its own, giving the same ids.
    await post(a, '/plans', registration('p1', 'Title 1'));
    await sleep(100);
    const last = await post(b, '/plans', { ...registration('p2', 'Title 2'), owner: 'Dorset CCG', governanceBody: 'Board 2' });
    await sleep(100);
    held = undefined;
    release();
    const reference = await instance(dir.file('reference'));
    const expected = await answers(reference, last);
    expect(await answers(b, last)).toEqual(expected);
    expect(await answers(a, last)).toEqual(expected);
  });

  it('serves the plans another instance wrote as they are now, not as it kept them', async () => {
    dir = makeTempDir('ledger-shared-');
    const a = await instance(dir.path);
    // B hears of A's writes only when a read asks for them: A folds them, and B takes them from the store.
    const b = await instance(dir.path, { othersPollMs: 60_000 });
    const first = await writePlan(a, 0);
    // B keeps the live list and the plan's view.
    expect((await b.app.inject({ method: 'GET', url: `/plans?minPosition=${first}` })).json().plans).toHaveLength(1);
    expect((await b.app.inject({ method: 'GET', url: `/plans/shared-00?minPosition=${first}` })).statusCode).toBe(200);
    await post(a, '/plans/shared-00/actions/1.1/progress-updates', {
      narrative: 'Later',
      reportedRag: { rating: 'Red' },
      effectiveOn: '2016-03',
    });
    const last = await writePlan(a, 1);
    for (const url of ['/plans', '/plans/shared-00', '/organisations', '/reports/discrepancies']) {
      const read = ({ app }: Instance) => app.inject({ method: 'GET', url: `${url}?minPosition=${last}` });
      expect((await read(b)).json(), url).toEqual((await read(a)).json());
    }
    expect((await b.app.inject({ method: 'GET', url: '/plans/shared-00' })).json().actions[0].reportedRag.rating).toBe('Red');
  });

  it('folds nothing, sweeps no evidence files, says so and is not ready, while an instance of a newer release runs; a restart of the older release leaves its views, and they are built again at the older version once it stops, ready only when built', async () => {
    dir = makeTempDir('ledger-shared-');
    const errors: unknown[] = [];
    let holdFolds = false;
    let failNext = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    /** Folds held at the gate while `holdFolds`; A's first one after `failNext` fails. */
    const gated = (store: SqliteEventStore, failing = false): SqliteEventStore => ({
      ...store,
      async *readAll(options) {
        if (failing && failNext) {
          failNext = false;
          throw new Error('the ledger is busy');
        }
        if (holdFolds) await gate;
        yield* store.readAll(options);
      },
    });
    const a = await instance(dir.path, { folds: (store) => gated(store, true), onError: (error) => errors.push(error) });
    const first = await writePlan(a, 0);
    expect((await a.app.inject({ method: 'GET', url: `/plans/shared-00?minPosition=${first}` })).json().actions[0].reportedRag.rating).toBe(
      'Green',
    );
    // Another process starts on the next version of plan-status: it rebuilds the shared views at that version.
    const store = openSqliteEventStore({ file: dir.file('ledger.db'), othersPollMs: 20 });
    const readStore = openReadStore(dir.file('read-models.db'));
    const plusOne = (by: number) => projections.map((p) => (p.name === 'plan-status' ? { ...p, version: p.version + by } : p));
    const runner = createProjectionRunner({ store, readStore, projections: plusOne(1), rebuildWorkers: 1 });
    try {
      await runner.start();
      const version = readStore.checkpoint('plan-status')!.version;
      const later = await post(a, '/plans/shared-00/actions/1.1/progress-updates', {
        narrative: 'Later',
        reportedRag: { rating: 'Red' },
        effectiveOn: '2016-03',
      });
      await runner.waitFor(later, 5000);
      expect(readStore.checkpoint('plan-status')!.version).toBe(version);
      expect(errors.map(String)).toEqual([expect.stringContaining(`at version ${version}`)]);
      expect(String(errors[0])).toContain('folds nothing');
      const ready = await a.app.inject({ method: 'GET', url: '/ready' });
      expect(ready.json()).toMatchObject({ status: 503, code: 'views-at-another-version' });
      // Nor does it sweep evidence files by views it cannot read.
      expect(await sweepViews(a.store, a.readModels.runner, a.readModels.readStore, evidenceFilesProjection).catchUp()).toBe(false);
      expect(await sweepViews(store, runner, readStore, evidenceFilesProjection).catchUp()).toBe(true);
      // What it still answers is the store as the other keeps it, not what it kept.
      expect(
        (await a.app.inject({ method: 'GET', url: `/plans/shared-00?minPosition=${later}` })).json().actions[0].reportedRag.rating,
      ).toBe('Red');
      // The older release started again (a supervisor's restart) leaves the newer views as they are.
      const older: unknown[] = [];
      const againStore = openReadStore(dir.file('read-models.db'));
      const again = createProjectionRunner({
        store: gated(store),
        readStore: againStore,
        projections: plusOne(0),
        rebuildWorkers: 1,
        lookAgainMs: 50,
        onError: (e) => older.push(e),
      });
      await again.start();
      expect(again.retired()).toContain(`at version ${version}`);
      expect(readStore.checkpoint('plan-status')).toMatchObject({ version, position: later });
      // The newer release stops (a rollback): the older builds the views at its own version, and is ready once they are built.
      // Its first fold fails, and the next is held part-way.
      failNext = true;
      holdFolds = true;
      await runner.stop();
      const deadline = Date.now() + 10_000;
      // The failed fold ended the take-over, not the rebuilding: still not ready while the views are behind.
      while (!String(a.readModels.runner.retired()).includes('being built again') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect((await a.app.inject({ method: 'GET', url: '/ready' })).json()).toMatchObject({
        status: 503,
        detail: expect.stringContaining('being built again'),
      });
      release();
      while (a.readModels.runner.retired() !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(a.readModels.runner.retired()).toBeUndefined();
      // So does the older release started while the newer one ran.
      while (again.retired() !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(again.retired()).toBeUndefined();
      await again.stop();
      againStore.close();
      expect(await a.readModels.runner.waitFor(later, 10_000)).toBe(true);
      expect(readStore.checkpoint('plan-status')).toMatchObject({ version: version - 1, position: later });
      expect((await a.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
      const fresh = await writePlan(a, 1);
      expect((await a.app.inject({ method: 'GET', url: `/plans?minPosition=${fresh}` })).json().plans).toHaveLength(2);
      expect((await a.app.inject({ method: 'GET', url: '/plans/shared-00' })).json().actions[0].reportedRag.rating).toBe('Red');
    } finally {
      await runner.stop();
      readStore.close();
      await store.close();
    }
  });

  it('builds the views at its own version when started on views a newer release left and no longer runs', async () => {
    dir = makeTempDir('ledger-shared-');
    const a = await instance(dir.path);
    const last = await writePlan(a, 0);
    await a.readModels.close();
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    const plusOne = (by: number) => projections.map((p) => (p.name === 'plan-status' ? { ...p, version: p.version + by } : p));
    const open = async (by: number) => {
      const readStore = openReadStore(dir!.file('read-models.db'));
      const messages: string[] = [];
      const errors: unknown[] = [];
      const runner = createProjectionRunner({
        store,
        readStore,
        projections: plusOne(by),
        rebuildWorkers: 1,
        onViewsDropped: (m) => messages.push(m),
        onError: (e) => errors.push(e),
      });
      await runner.start();
      return { readStore, runner, messages, errors };
    };
    try {
      // A newer release ran, and stopped.
      const newer = await open(1);
      const version = newer.readStore.checkpoint('plan-status')!.version;
      await newer.runner.stop();
      newer.readStore.close();
      // The older release started on its views builds them at its own version, says so in one line, and stands aside for no one.
      const older = await open(0);
      expect(older.runner.retired()).toBeUndefined();
      expect(older.errors).toEqual([]);
      expect(older.messages).toEqual([expect.stringContaining(`plan-status views at version ${version}, whose release no longer runs`)]);
      expect(older.readStore.checkpoint('plan-status')).toMatchObject({ version: version - 1, position: last });
      await older.runner.stop();
      older.readStore.close();
    } finally {
      await store.close();
    }
  });

  it("lists every plan again after another process's rebuild, though a list was read while the rebuild had emptied the views", async () => {
    dir = makeTempDir('ledger-shared-');
    // A hears of the rebuild only at its own next write: the list it kept must not outlive the rebuild.
    const a = await instance(dir.path, { othersPollMs: 60_000 });
    for (let n = 0; n < 3; n++) await writePlan(a, n);
    const listed = async (minPosition?: bigint) =>
      (
        (await a.app.inject({ method: 'GET', url: `/plans${minPosition === undefined ? '' : `?minPosition=${minPosition}`}` })).json() as {
          plans: { planId: string }[];
        }
      ).plans.map((p) => p.planId);
    expect(await listed()).toEqual(['shared-00', 'shared-01', 'shared-02']);
    // `ledger rebuild` in another process, held after it has emptied the views and before it folds.
    const store = openSqliteEventStore({ file: dir.file('ledger.db'), othersPollMs: 60_000 });
    const readStore = openReadStore(dir.file('read-models.db'));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const held: SqliteEventStore = {
      ...store,
      async *readAll(options) {
        // Held once the views are emptied (the ledger is read before that too, to check which it is).
        if (readStore.checkpoint('plan-status')?.position === -1n) {
          reached();
          await gate;
        }
        yield* store.readAll(options);
      },
    };
    const rebuilder = createProjectionRunner({ store: held, readStore, projections, rebuildWorkers: 1 });
    try {
      const rebuilding = rebuilder.rebuild();
      await atGate;
      // Read meanwhile, the views are empty until the rebuild has folded: the list is refused, not read empty.
      const meanwhile = await a.app.inject({ method: 'GET', url: '/plans' });
      expect({ status: meanwhile.statusCode, code: meanwhile.json().code }).toEqual({ status: 503, code: 'views-rebuilding' });
      release();
      await rebuilding;
    } finally {
      await rebuilder.stop();
      readStore.close();
      await store.close();
    }
    const last = await writePlan(a, 3);
    expect(await listed(last)).toEqual(['shared-00', 'shared-01', 'shared-02', 'shared-03']);
  });

  it('tries a failed catch-up again by itself, without waiting for the next append', async () => {
    dir = makeTempDir('ledger-shared-');
    const errors: unknown[] = [];
    let failNext = false;
    const failingOnce = (store: SqliteEventStore): SqliteEventStore => ({
      ...store,
      readAll: (options) => {
        if (!failNext) return store.readAll(options);
        failNext = false;
        throw new Error('the read store is busy');
      },
    });
    const a = await instance(dir.path, { folds: failingOnce, onError: (error) => errors.push(error) });
    failNext = true;
    const last = await post(a, '/plans', registration('p0', 'Title 0'));
    const deadline = Date.now() + 5000;
    while (a.readModels.runner.position() < last && Date.now() < deadline) await sleep(20);
    expect(errors.map(String)).toEqual(['Error: the read store is busy']);
    expect(a.readModels.runner.position()).toBe(last);
  });

  it("follows another instance's writes without writing itself or being asked to wait for them", async () => {
    dir = makeTempDir('ledger-shared-');
    const a = await instance(dir.path);
    const b = await instance(dir.path);
    await writePlan(b, 0);
    const last = await writePlan(a, 1);
    const deadline = Date.now() + 5000;
    while (b.readModels.runner.position() < last && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(b.readModels.runner.position()).toBe(last);
    const plans = await b.app.inject({ method: 'GET', url: '/plans' });
    expect((plans.json() as { plans: { planId: string }[] }).plans.map((p) => p.planId)).toEqual(['shared-00', 'shared-01']);
    const one = await b.app.inject({ method: 'GET', url: '/plans/shared-01' });
    expect(one.statusCode).toBe(200);
  });
});
