import type Database from 'better-sqlite3';
import type { HistoryReads, HistoryStore, HistoryWrite, PlanBlockAt } from '../storage/history-store.ts';
import type { LineBlock } from '../storage/line-blocks.ts';

/** The history's tables, created beside the read store's own in its SQLite file. */
export const createHistoryTables = (db: Database.Database) =>
  db.exec(`
    CREATE TABLE IF NOT EXISTS history_cursors (
      plan TEXT PRIMARY KEY, dirty INTEGER NOT NULL, knowledge_pos INTEGER NOT NULL, cursor TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS history_cursors_dirty ON history_cursors (dirty) WHERE dirty = 1;
    CREATE TABLE IF NOT EXISTS ledger_lines (
      plan TEXT NOT NULL, seq INTEGER NOT NULL, first INTEGER NOT NULL, block TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX IF NOT EXISTS ledger_lines_seq ON ledger_lines (plan, seq);
    CREATE INDEX IF NOT EXISTS ledger_lines_at ON ledger_lines (plan, first, seq);
    CREATE TABLE IF NOT EXISTS business_lines (
      plan TEXT NOT NULL, seq INTEGER NOT NULL, first INTEGER NOT NULL, block TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX IF NOT EXISTS business_lines_seq ON business_lines (plan, seq);
    CREATE INDEX IF NOT EXISTS business_lines_at ON business_lines (plan, first, seq);
    CREATE TABLE IF NOT EXISTS line_values (id INTEGER PRIMARY KEY, value TEXT NOT NULL) STRICT;
  `);

/** A block as stored: its first point is the row's key, base and changes the JSON. */
const blockOf = (seq: number, first: number, json: string): LineBlock => {
  const { base, changes } = JSON.parse(json) as Pick<LineBlock, 'base' | 'changes'>;
  return { seq, first, base, changes };
};
type BlockRow = { seq: number; first: number; block: string };

const readsOn = (db: Database.Database): HistoryReads => {
  const cursor = db.prepare<[string], string>('SELECT cursor FROM history_cursors WHERE plan = ?').pluck();
  const lastLedger = db.prepare<[string], BlockRow>('SELECT seq, first, block FROM ledger_lines WHERE plan = ? ORDER BY seq DESC LIMIT 1');
  const businessFrom = db.prepare<[{ plan: string; day: number }], BlockRow>(
    `SELECT seq, first, block FROM business_lines WHERE plan = @plan AND seq >= coalesce(
       (SELECT seq FROM business_lines WHERE plan = @plan AND first < @day ORDER BY first DESC, seq DESC LIMIT 1), 0) ORDER BY seq`,
  );
  const dirty = db.prepare<[], string>('SELECT plan FROM history_cursors WHERE dirty = 1 ORDER BY plan').pluck();
  return {
    cursor: (plan) => cursor.get(plan),
    lastLedgerBlock: (plan) => {
      const row = lastLedger.get(plan);
      return row && blockOf(row.seq, row.first, row.block);
    },
    businessBlocksFrom: (plan, day) => businessFrom.all({ plan, day }).map((r) => blockOf(r.seq, r.first, r.block)),
    dirtyPlans: () => dirty.all(),
  };
};

/** The history on the read store's own connection: its writes join the read store's transactions. */
export const openHistoryStore = (db: Database.Database): HistoryStore => {
  createHistoryTables(db);
  const putCursor = db.prepare(
    'INSERT INTO history_cursors (plan, dirty, knowledge_pos, cursor) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (plan) DO UPDATE SET dirty = excluded.dirty, knowledge_pos = excluded.knowledge_pos, cursor = excluded.cursor',
  );
  const putLedger = db.prepare(
    'INSERT INTO ledger_lines (plan, seq, first, block) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (plan, seq) DO UPDATE SET first = excluded.first, block = excluded.block',
  );
  const dropBusiness = db.prepare('DELETE FROM business_lines WHERE plan = ? AND seq >= ?');
  const putBusiness = db.prepare('INSERT INTO business_lines (plan, seq, first, block) VALUES (?, ?, ?, ?)');
  const putValue = db.prepare('INSERT OR REPLACE INTO line_values (id, value) VALUES (?, ?)');
  const blocksAt = (table: 'ledger_lines' | 'business_lines') =>
    db.prepare<
      [{ at: number; after: string }],
      { plan: string; dirty: number; knowledgePos: number; seq: number | null; first: number | null; block: string | null }
    >(
      `SELECT c.plan, c.dirty, c.knowledge_pos AS knowledgePos, b.seq, b.first, b.block FROM history_cursors c
         LEFT JOIN ${table} b ON b.rowid =
           (SELECT rowid FROM ${table} WHERE plan = c.plan AND first <= @at ORDER BY first DESC, seq DESC LIMIT 1)
       WHERE c.plan > @after ORDER BY c.plan`,
    );
  const ledgerAt = blocksAt('ledger_lines');
  const businessAt = blocksAt('business_lines');
  const allLedger = db.prepare<[string], BlockRow>('SELECT seq, first, block FROM ledger_lines WHERE plan = ? ORDER BY seq');
  const values = db.prepare<[string], { id: number; value: string }>(
    'SELECT id, value FROM line_values WHERE id IN (SELECT value FROM json_each(?))',
  );
  const maxValue = db.prepare<[], number | null>('SELECT max(id) FROM line_values').pluck();
  function* rows(statement: typeof ledgerAt, at: number, after: string): IterableIterator<PlanBlockAt> {
    for (const row of statement.iterate({ at, after }))
      yield {
        plan: row.plan,
        dirty: row.dirty === 1,
        knowledgePos: row.knowledgePos,
        block: row.block === null ? undefined : blockOf(row.seq!, row.first!, row.block),
      };
  }
  return {
    ...readsOn(db),
    write(write: HistoryWrite) {
      for (const [id, json] of write.values) putValue.run(id, json);
      for (const { plan, block } of write.ledgerBlocks) putLedger.run(plan, block.seq, block.first, block.json);
      for (const { plan, fromSeq, blocks } of write.business) {
        dropBusiness.run(plan, fromSeq);
        for (const block of blocks) putBusiness.run(plan, block.seq, block.first, block.json);
      }
      for (const c of write.cursors) putCursor.run(c.plan, c.dirty ? 1 : 0, c.knowledgePos, c.cursor);
    },
    ledgerBlocksAt: (position, after = '') => rows(ledgerAt, position, after),
    businessBlocksAt: (day, after = '') => rows(businessAt, day, after),
    ledgerBlocksOf: (plan) => allLedger.all(plan).map((r) => blockOf(r.seq, r.first, r.block)),
    values: (ids) => values.all(JSON.stringify(ids)).map((r) => [r.id, JSON.parse(r.value) as unknown]),
    maxValueId: () => maxValue.get() ?? -1,
    reset: () => db.exec('DELETE FROM history_cursors; DELETE FROM ledger_lines; DELETE FROM business_lines; DELETE FROM line_values;'),
  };
};

/** The history's reads on a read-only connection of its own (a rebuild's worker thread). */
export const openHistoryReads = (db: Database.Database): HistoryReads => readsOn(db);
