import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openReadModels, readModelsFile } from '../../projections/read-models.ts';
import { planStatusProjection } from '../../projections/plan-status/projection.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/*
 * One data dir, its read models, and the ledger they are built from: pointing the data dir at
 * another ledger (LEDGER_STORE changed, the ledger replaced or restored from an older copy)
 * must not serve the old ledger's views as this one's, nor skip this ledger's first events.
 * Real SQLite ledgers and a real read store.
 */
let dir: ReturnType<typeof makeTempDir> | undefined;
const stores: SqliteEventStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  dir?.remove();
});

const ledger = (name: string) => {
  const store = openSqliteEventStore({ file: dir!.file(name) });
  stores.push(store);
  return store;
};

/** Opens the read models of the data dir on a ledger, catches up, and returns what they hold. */
const viewsOn = async (store: SqliteEventStore) => {
  const dropped: string[] = [];
  const models = openReadModels({
    store,
    dataDir: dir!.file('data'),
    runner: { onViewsDropped: (message) => dropped.push(message), rebuildWorkers: 1 },
  });
  try {
    await models.runner.start();
    const plans = [...models.readStore.documents(planStatusProjection.name)].map((doc) => (JSON.parse(doc) as { planId: string }).planId);
    return { dropped, plans: plans.sort(), position: models.runner.position() };
  } finally {
    await models.close();
  }
};

const planIds = async (store: SqliteEventStore) => {
  const ids = new Set<string>();
  for await (const event of store.readAll()) ids.add(event.stream.replace(/^plan-/, ''));
  return [...ids].sort();
};

describe('read models pointed at another ledger', () => {
  it('views of another ledger are dropped with one line and rebuilt from this ledger', async () => {
    dir = makeTempDir('ledger-guard-');
    const a = ledger('a.db');
    const b = ledger('b.db');
    await generatePlanLedger(a, { events: 300, plans: 3 });
    await generatePlanLedger(b, { events: 120, plans: 2, seed: 7, firstSequence: 1_000_000 });

    const onA = await viewsOn(a);
    expect(onA).toMatchObject({ dropped: [], position: 299n });
    const onB = await viewsOn(b);
    expect(onB.dropped).toHaveLength(1);
    expect(onB.dropped[0]).toMatch(/read-models\.db: it was built from another ledger \(first event hash [0-9a-f]{12}…\), not this one/);
    expect(onB.position).toBe(119n);
    expect(onB.plans).toEqual(await planIds(b));
    expect([onA.plans.length, onB.plans.length]).toEqual([3, 2]);

    // The same ledger again: nothing is dropped or folded again.
    expect(await viewsOn(b)).toMatchObject({ dropped: [], position: 119n, plans: onB.plans });
  });

  it('views reaching past the end of the ledger (restored from an older copy) are rebuilt', async () => {
    dir = makeTempDir('ledger-guard-');
    const live = ledger('live.db');
    await generatePlanLedger(live, { events: 100, plans: 2 });
    await live.close();
    fs.copyFileSync(dir.file('live.db'), dir.file('older.db'));
    const grown = ledger('live.db');
    await generatePlanLedger(grown, { events: 100, plans: 2, seed: 9, firstSequence: 5_000 });
    expect((await viewsOn(grown)).position).toBe(199n);

    const restored = await viewsOn(ledger('older.db'));
    expect(restored.dropped).toEqual([expect.stringMatching(/its views reach position 199 but this ledger ends at 99/)]);
    expect(restored.position).toBe(99n);
  });

  it('a ledger that was empty when the views were opened is recorded once its first event is folded', async () => {
    dir = makeTempDir('ledger-guard-');
    const a = ledger('a.db');
    const models = openReadModels({ store: a, dataDir: dir.file('data'), runner: { onViewsDropped: () => undefined } });
    await models.runner.start();
    await generatePlanLedger(a, { events: 50, plans: 1 });
    expect(await models.runner.waitFor(49n, 10_000)).toBe(true);
    await models.close();

    const b = ledger('b.db');
    await generatePlanLedger(b, { events: 40, plans: 1, seed: 3, firstSequence: 9_000 });
    const onB = await viewsOn(b);
    expect(onB.dropped).toEqual([expect.stringMatching(/built from another ledger/)]);
    expect(onB.position).toBe(39n);
  });

  it('a read store that does not say which ledger it was built from is rebuilt once', async () => {
    dir = makeTempDir('ledger-guard-');
    const a = ledger('a.db');
    await generatePlanLedger(a, { events: 60, plans: 1 });
    await viewsOn(a);
    // As an earlier version left it: views, and no record of their ledger.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(readModelsFile(dir.file('data')));
    db.exec('DROP TABLE built_from');
    db.close();

    const first = await viewsOn(a);
    expect(first.dropped).toEqual([expect.stringMatching(/does not record which ledger it was built from/)]);
    expect(first.position).toBe(59n);
    expect((await viewsOn(a)).dropped).toEqual([]);
  });

  it('two instances opening one read store made by an earlier version at once drop its views once between them', async () => {
    dir = makeTempDir('ledger-guard-');
    const a = ledger('a.db');
    await generatePlanLedger(a, { events: 80, plans: 2 });
    await viewsOn(a);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(readModelsFile(dir.file('data')));
    db.exec('DELETE FROM built_from');
    db.close();

    const [one, two] = await Promise.all([viewsOn(a), viewsOn(a)]);
    expect([...one.dropped, ...two.dropped]).toHaveLength(1);
    expect([one.position, two.position]).toEqual([79n, 79n]);
    expect(one.plans).toEqual(await planIds(a));
  });
});
