import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { HistoryChanged } from '../../projections/history/storage/history-changed.ts';
import { createBlockDirectory, type BlockTable } from '../../projections/history/sqlite/block-directory.ts';
import { comparePlanIds } from '../../projections/plan-id-order.ts';
import type { HistoryStore, PlanBlockAt } from '../../projections/history/storage/history-store.ts';
import { createHistoryReader } from '../../projections/history/history-reader.ts';
import { openReadModels, readModelsFile, type ReadModels } from '../../projections/read-models.ts';
import { registerErrorHandlers } from '../../src/http/error-handler.ts';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { agreeActionCommand } from './plan-commands.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/**
 * Every plan's block at a point, as the directory kept in the process finds it
 * (projections/history/sqlite/block-directory.ts), must be the row the store's own index gives:
 * the query below, which the reads over every plan used before the directory.
 */
const byIndex = (db: Database.Database, table: BlockTable, at: number, after = '') =>
  db
    .prepare<[{ at: number; after: string }], [string, number, number, number, Uint8Array | null]>(
      `SELECT c.plan, c.dirty, c.knowledge_pos, json_extract(c.cursor, '$.lastPos'), b.block FROM history_cursors c
         LEFT JOIN ${table} b ON b.rowid = (SELECT rowid FROM ${table} WHERE plan = c.plan AND first <= @at ORDER BY first DESC, seq DESC LIMIT 1)
       WHERE c.plan > @after ORDER BY c.plan`,
    )
    .raw()
    .all({ at, after })
    .map(([plan, dirty, knowledgePos, lastPos, block]) => ({
      plan,
      dirty: dirty === 1,
      knowledgePos,
      lastPos,
      bytes: block ? Buffer.from(block).toString('hex') : null,
    }));
const plain = (rows: Iterable<PlanBlockAt>) =>
  [...rows].map((r) => ({ ...r, bytes: r.bytes ? Buffer.from(r.bytes).toString('hex') : null }));

/** Points on each clock around every block's first point, and either side of them all. */
const pointsOf = (db: Database.Database, table: BlockTable) => {
  const firsts = db.prepare<[], number>(`SELECT DISTINCT first FROM ${table} ORDER BY first`).pluck().all();
  return [Number.NEGATIVE_INFINITY, ...firsts.flatMap((f) => [f - 1, f, f + 1]), Number.POSITIVE_INFINITY];
};
const TABLES: BlockTable[] = ['ledger_line_blocks', 'business_line_blocks'];

describe('the block directory on a generated ledger followed live', () => {
  const dir = makeTempDir('ledger-block-directory-');
  let store: SqliteEventStore;
  let readModels: ReadModels;
  let db: Database.Database;

  beforeAll(async () => {
    store = openSqliteEventStore({ file: dir.file('ledger.db') });
    // Ten years of dates, one fact in twenty recorded late: business blocks are worked out again as it is followed.
    await generatePlanLedger(store, { events: 2_500, plans: 8, perAppend: 10, spreadBusinessDates: true });
    readModels = openReadModels({ store, dataDir: dir.path, runner: { chunkEvents: 40 } });
    await readModels.runner.start();
    expect(await readModels.runner.waitFor((await store.headPosition())!, 60_000)).toBe(true);
    db = new Database(readModelsFile(dir.path));
  }, 120_000);

  afterAll(async () => {
    db.close();
    await readModels.close();
    await store.close();
    dir.remove();
  });

  it("finds every plan's block at every point and after any plan as the store's index does, keeping every block's bytes or none", () => {
    const roomy = createBlockDirectory(db);
    const tight = createBlockDirectory(db, { keptBytes: 1 });
    let walkBytes = 0;
    for (const table of TABLES) expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBeGreaterThan(30);
    for (const table of TABLES)
      for (const at of pointsOf(db, table))
        for (const after of ['', 'plan-00003', 'plan-00003-', 'plan-00007', 'zzz']) {
          const expected = byIndex(db, table, at, after);
          expect(plain(roomy.blocksAt(table, at, after)), `${table} at ${at} after ${after}`).toEqual(expected);
          expect(plain(tight.blocksAt(table, at, after)), `${table} at ${at} after ${after}`).toEqual(expected);
          walkBytes = Math.max(
            walkBytes,
            expected.reduce((sum, r) => sum + (r.bytes?.length ?? 0) / 2, 0),
          );
        }
    // The tight one dropped each walk's blocks before the next; the roomy one kept them all.
    expect(tight.bytesKept()).toBeLessThanOrEqual(walkBytes);
    expect(roomy.bytesKept()).toBeGreaterThan(walkBytes);
  });

  it('fails a walk over the plans during which the history changed, rather than mix two states of it', () => {
    // The directory on a connection of its own: `db` is the other one.
    const own = new Database(readModelsFile(dir.path), { readonly: true });
    onTestFinished(() => void own.close());
    for (const change of ['this connection', 'another connection'] as const) {
      const directory = createBlockDirectory(own, { chunk: 2 });
      const walk = directory.blocksAt('ledger_line_blocks', Number.POSITIVE_INFINITY, '');
      expect(walk.next().done).toBe(false);
      if (change === 'this connection') directory.forget(['plan-00005']);
      else db.prepare("UPDATE history_cursors SET knowledge_pos = knowledge_pos + 1 WHERE plan = 'plan-00005'").run();
      expect(() => [...walk], change).toThrow(HistoryChanged);
      // The next walk reads the history as it is.
      expect(plain(directory.blocksAt('ledger_line_blocks', Number.POSITIVE_INFINITY, ''))).toEqual(
        byIndex(db, 'ledger_line_blocks', Number.POSITIVE_INFINITY),
      );
    }
  });

  it('is answered 503 read-model-changed with Retry-After when such a walk serves a request', async () => {
    const own = new Database(readModelsFile(dir.path), { readonly: true });
    const app = Fastify();
    registerErrorHandlers(app);
    app.get('/walk', () => {
      const walk = createBlockDirectory(own, { chunk: 2 }).blocksAt('business_line_blocks', Number.POSITIVE_INFINITY, '');
      walk.next();
      db.prepare("UPDATE history_cursors SET knowledge_pos = knowledge_pos + 1 WHERE plan = 'plan-00006'").run();
      return { plans: [...walk].length };
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/walk' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toMatchObject({ code: 'read-model-changed' });
    } finally {
      await app.close();
      own.close();
    }
  });

  it('walks the plans again when the history changed during a walk, and answers; a history that keeps changing is refused', () => {
    const history = readModels.readStore.history;
    /** The history as another process racing the walks would make it: the next `races` walks meet a change. */
    const racing = (races: number): HistoryStore => ({
      ...history,
      ledgerBlocksAt: (at, after) => {
        if (races-- > 0) throw new HistoryChanged('changed');
        return history.ledgerBlocksAt(at, after);
      },
    });
    const lines = (store: HistoryStore) =>
      JSON.stringify([...createHistoryReader(store).linesAt('ledger', Number.POSITIVE_INFINITY).plans]);
    expect(lines(racing(2))).toBe(lines(history));
    expect(JSON.parse(lines(history))).toHaveLength(8);
    expect(() => lines(racing(3))).toThrow(HistoryChanged);
    expect(() => createHistoryReader(racing(3)).liveLines()).toThrow(HistoryChanged);
  });

  it('refuses blocks or values of a history another process reset since the reader looked, rather than decode them with the ids of before', () => {
    const history = readModels.readStore.history;
    /** Another process's reset, as it commits: the generation moves on (the tables it empties are left, to show they are not read). */
    const resetElsewhere = () => db.prepare('UPDATE history_generation SET generation = generation + 1').run();
    const refused = (read: () => unknown) => {
      const error = (() => {
        try {
          read();
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(HistoryChanged);
      expect((error as HistoryChanged).what).toBe('rebuilt');
    };
    // The reset commits after the reader's look at the generation, before its walk over the blocks. The reader keeps every
    // value its blocks name from a first read, so only the walk can tell.
    const warmReaderResetBeforeNextWalk = () => {
      let armed = false;
      const reader = createHistoryReader({
        ...history,
        ledgerBlocksAt: (at, after) => {
          if (armed) {
            armed = false;
            resetElsewhere();
          }
          return history.ledgerBlocksAt(at, after);
        },
      });
      expect([...reader.linesAt('ledger', Number.POSITIVE_INFINITY).plans]).toHaveLength(8);
      armed = true;
      return reader;
    };
    refused(() => [...warmReaderResetBeforeNextWalk().linesAt('ledger', Number.POSITIVE_INFINITY).plans]);
    const live = warmReaderResetBeforeNextWalk();
    refused(() => live.liveLines());
    // The reset commits after the walk, before the values its blocks name are read.
    const resetBeforeValues: HistoryStore = {
      ...history,
      values: (ids, generation) => (resetElsewhere(), history.values(ids, generation)),
    };
    refused(() => [...createHistoryReader(resetBeforeValues).linesAt('ledger', Number.POSITIVE_INFINITY).plans]);
    // With nothing reset meanwhile, a reader made now answers every plan.
    expect([...createHistoryReader(history).linesAt('ledger', Number.POSITIVE_INFINITY).plans]).toHaveLength(8);
  });

  it('sees what another connection commits to the history after it was read', () => {
    const history = readModels.readStore.history;
    const read = (table: BlockTable, at: number) =>
      plain(table === 'ledger_line_blocks' ? history.ledgerBlocksAt(at) : history.businessBlocksAt(at));
    for (const table of TABLES) expect(read(table, Number.POSITIVE_INFINITY)).toEqual(byIndex(db, table, Number.POSITIVE_INFINITY));
    // Another process on the same read store: a cursor's figures change, and a plan loses its last blocks.
    db.prepare("UPDATE history_cursors SET knowledge_pos = knowledge_pos + 1, dirty = 1 WHERE plan = 'plan-00001'").run();
    for (const table of TABLES)
      db.prepare(
        `DELETE FROM ${table} WHERE plan = 'plan-00002' AND seq = (SELECT max(seq) FROM ${table} WHERE plan = 'plan-00002')`,
      ).run();
    for (const table of TABLES)
      for (const at of pointsOf(db, table)) expect(read(table, at), `${table} at ${at}`).toEqual(byIndex(db, table, at));
  });
});

describe('the block directory of the read store as the runner writes', () => {
  it("follows every write: a plan's last block rewritten, a new block, a fact worked out again, a new plan", async () => {
    const dir = makeTempDir('ledger-block-directory-writes-');
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    const live = openReadModels({ store, dataDir: dir.path, runner: { chunkEvents: 3 } });
    const db = new Database(readModelsFile(dir.path), { readonly: true });
    try {
      await live.runner.start();
      let now = Date.parse('2017-06-01T09:00:00.000Z');
      const handle = createCommandHandler({ store, clock: () => new Date(now) });
      let n = 0;
      const run = async (planId: string, command: PlanCommand, effectiveOn: string) => {
        now += 60_000;
        await handle(planId, command, {
          actor: { id: 'u1', name: 'Sam Lead', organisation: 'Dorset CCG', role: 'operator' },
          commandId: `c${n++}`,
          correlationId: 'directory',
          provenance: { source: 'api' },
          effectiveOn,
        });
        expect(await live.runner.waitFor((await store.headPosition())!, 10_000)).toBe(true);
      };
      const register = (planId: string) =>
        run(
          planId,
          { type: 'RegisterPlan', data: { planId, title: planId, kind: 'other', owner: 'Dorset CCG', ragLegend: [] } },
          '2015-01',
        );
      const agree = (planId: string, ref: string) => run(planId, agreeActionCommand(ref), '2015-01');
      const update = (planId: string, ref: string, effectiveOn: string) =>
        run(
          planId,
          { type: 'RecordProgressUpdate', data: { target: { kind: 'action', ref }, narrative: `Update ${n}`, metrics: [] } },
          effectiveOn,
        );
      const history = live.readStore.history;
      /** Every plan's block at every point, read through the read store after each write, against the index. */
      const check = (when: string) => {
        for (const table of TABLES)
          for (const at of pointsOf(db, table))
            expect(
              plain(table === 'ledger_line_blocks' ? history.ledgerBlocksAt(at) : history.businessBlocksAt(at)),
              `${when}: ${table} at ${at}`,
            ).toEqual(byIndex(db, table, at));
      };
      await register('p1');
      await agree('p1', '1.1');
      await update('p1', '1.1', '2015-02');
      await update('p1', '1.1', '2015-03');
      check('first read');
      // Each update rewrites the plan's last block in place; the 64th change opens a second one.
      for (let i = 0; i < 70; i++) {
        await update('p1', '1.1', `2015-${String(4 + (i % 8)).padStart(2, '0')}-${String(1 + Math.floor(i / 8)).padStart(2, '0')}`);
        if (i % 10 === 9) check(`after ${i + 1} updates`);
      }
      // A fact dated before the rest: its business lines are worked out again.
      await update('p1', '1.1', '2015-01-20');
      check('after a late fact');
      await register('p0');
      await agree('p0', '2.1');
      check('after a new plan');
      expect(db.prepare("SELECT count(*) FROM ledger_line_blocks WHERE plan = 'p1'").pluck().get()).toBe(2);
    } finally {
      db.close();
      await live.close();
      await store.close();
      dir.remove();
    }
  }, 60_000);
});

describe('the order of plan ids', () => {
  it("is SQLite's, by code point, where it differs from JavaScript's by UTF-16 unit", () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE t (s TEXT NOT NULL)');
      const ids = [
        'plan-\u{1F600}',
        'plan-\uFFFD',
        'plan-\uE000',
        'plan-a',
        'plan-',
        'plan-\u{10000}x',
        'plan-\u{10000}',
        'plan-z',
        'plan-\u00E9',
      ];
      for (const s of ids) db.prepare('INSERT INTO t VALUES (?)').run(s);
      const stored = db.prepare<[], string>('SELECT s FROM t ORDER BY s').pluck().all();
      expect([...ids].sort(comparePlanIds)).toEqual(stored);
      // The two orders do differ on these ids: JavaScript's own sort would not do.
      expect([...ids].sort()).not.toEqual(stored);
    } finally {
      db.close();
    }
  });
});
