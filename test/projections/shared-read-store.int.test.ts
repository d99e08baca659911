import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { buildApp } from '../../src/app/http/app.ts';
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

/** One instance: its own connections to the ledger and to the read store of `dataDir`. */
const instance = async (dataDir: string): Promise<Instance> => {
  const store = openSqliteEventStore({ file: dir!.file('ledger.db'), othersPollMs: 20 });
  const readModels = openReadModels({ store, dataDir, clock, runner: { rebuildWorkers: 1 } });
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
