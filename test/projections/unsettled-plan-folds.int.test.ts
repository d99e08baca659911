import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReadModels, readModelsFile } from '../../projections/read-models.ts';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
});
afterEach(() => r.close());

type Block = { plan: string; seq: number; first: number; block: Buffer };

describe('a plan whose business lines wait to be worked out again', () => {
  it('is folded from the ledger at a business date, not read from lines that do not yet hold its latest facts', async () => {
    const file = readModelsFile(r.dir.path);
    const blocksOf = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare<[], Block>("SELECT plan, seq, first, block FROM business_line_blocks WHERE plan = 'dorset-ccc'").all();
      } finally {
        db.close();
      }
    };
    const stale = blocksOf();
    // A completion dated before the action's August 2017 update: out of business order, so its lines are worked out again.
    await r.post('/plans/dorset-ccc/actions/1.3/completion', { completedOn: '2017-03' });
    const statusAt = async (reader: typeof r.readModels.reader) =>
      [...(await reader.planLines({ effectiveOn: '2017-06' }))]
        .find((p) => p.planId === 'dorset-ccc')!
        .actions.find((a) => a.ref === '1.3')!.status;
    expect((await r.get('/plans/dorset-ccc?effectiveOn=2017-06')).json().actions.find((a: { ref: string }) => a.ref === '1.3').status).toBe(
      'completed',
    );
    expect(await statusAt(r.readModels.reader)).toBe('completed');
    await r.readModels.runner.stop();
    // The state between a write that marked the plan and the one that settles it (or a crash between them):
    // its business lines as they were before the completion, and the mark.
    const db = new Database(file);
    try {
      db.transaction(() => {
        db.prepare("DELETE FROM business_line_blocks WHERE plan = 'dorset-ccc'").run();
        const put = db.prepare<[string, number, number, Buffer]>(
          'INSERT INTO business_line_blocks (plan, seq, first, block) VALUES (?, ?, ?, ?)',
        );
        for (const b of stale) put.run(b.plan, b.seq, b.first, b.block);
        db.prepare("UPDATE history_cursors SET dirty = 1 WHERE plan = 'dorset-ccc'").run();
      })();
    } finally {
      db.close();
    }
    const reopened = openReadModels({ store: r.store, dataDir: r.dir.path, clock: () => new Date('2026-11-23T12:00:00.000Z') });
    try {
      expect(await statusAt(reopened.reader)).toBe('completed');
      const lines = await reopened.reader.planLines({ effectiveOn: '2017-06' }, { limit: 1 });
      expect([...lines].map((p) => p.planId)).toEqual(['dorset-ccc']);
    } finally {
      await reopened.close();
    }
  });
});
