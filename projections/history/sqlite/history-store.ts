import Database from 'better-sqlite3';
import type { HistoryReads, HistoryStore, HistoryWrite } from '../storage/history-store.ts';
import { decodeBlock } from '../storage/block-codec.ts';
import { createBlockDirectory } from './block-directory.ts';
import { HistoryChanged } from '../storage/history-changed.ts';
import type { LineBlock } from '../storage/line-blocks.ts';

/**
 * The history's tables, created beside the read store's own in its SQLite file. Blocks are
 * bytes (block-codec.ts); the tables that held them as JSON are dropped (the projection's version
 * says the history is rebuilt).
 */
export const createHistoryTables = (db: Database.Database) =>
  // In one transaction, as the read store's own tables (../../runner/sqlite/read-store.ts).
  db.transaction(() =>
    db.exec(`
    DROP TABLE IF EXISTS ledger_lines;
    DROP TABLE IF EXISTS business_lines;
    CREATE TABLE IF NOT EXISTS history_cursors (
      plan TEXT PRIMARY KEY, dirty INTEGER NOT NULL, knowledge_pos INTEGER NOT NULL, cursor TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS history_cursors_dirty ON history_cursors (dirty) WHERE dirty = 1;
    CREATE TABLE IF NOT EXISTS ledger_line_blocks (
      plan TEXT NOT NULL, seq INTEGER NOT NULL, first INTEGER NOT NULL, block BLOB NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX IF NOT EXISTS ledger_line_blocks_seq ON ledger_line_blocks (plan, seq);
    CREATE INDEX IF NOT EXISTS ledger_line_blocks_at ON ledger_line_blocks (plan, first, seq);
    CREATE TABLE IF NOT EXISTS business_line_blocks (
      plan TEXT NOT NULL, seq INTEGER NOT NULL, first INTEGER NOT NULL, block BLOB NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX IF NOT EXISTS business_line_blocks_seq ON business_line_blocks (plan, seq);
    CREATE INDEX IF NOT EXISTS business_line_blocks_at ON business_line_blocks (plan, first, seq);
    CREATE TABLE IF NOT EXISTS line_values (id INTEGER PRIMARY KEY, value TEXT NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS history_generation (one INTEGER PRIMARY KEY CHECK (one = 1), generation INTEGER NOT NULL) STRICT;
    INSERT OR IGNORE INTO history_generation VALUES (1, 0);
    -- Counts the writes to the history, so that reads on two connections can tell they saw one state of it (readTogether).
    -- Every write changes the cursor of each plan it touches, and a reset deletes them all: triggers on the cursors count
    -- them, whoever writes, a release from before the count included (it leaves the table and the triggers be).
    CREATE TABLE IF NOT EXISTS history_writes (one INTEGER PRIMARY KEY CHECK (one = 1), writes INTEGER NOT NULL) STRICT;
    INSERT OR IGNORE INTO history_writes VALUES (1, 0);
    CREATE TRIGGER IF NOT EXISTS history_cursor_added AFTER INSERT ON history_cursors
      BEGIN UPDATE history_writes SET writes = writes + 1; END;
    CREATE TRIGGER IF NOT EXISTS history_cursor_changed AFTER UPDATE ON history_cursors
      BEGIN UPDATE history_writes SET writes = writes + 1; END;
    CREATE TRIGGER IF NOT EXISTS history_cursor_dropped AFTER DELETE ON history_cursors
      BEGIN UPDATE history_writes SET writes = writes + 1; END;
  `),
  )();

/** Every plan a write changes anything of. */
const touchedPlans = (write: HistoryWrite): Set<string> =>
  new Set([...write.cursors.map((c) => c.plan), ...write.ledgerBlocks.map((b) => b.plan), ...write.business.map((b) => b.plan)]);

type BlockRow = { seq: number; first: number; block: Uint8Array };
const blockOf = (row: BlockRow): LineBlock => decodeBlock(row.seq, row.first, row.block);

const readsOn = (db: Database.Database): HistoryReads => {
  const cursor = db.prepare<[string], string>('SELECT cursor FROM history_cursors WHERE plan = ?').pluck();
  const lastLedger = db.prepare<[string], BlockRow>(
    'SELECT seq, first, block FROM ledger_line_blocks WHERE plan = ? ORDER BY seq DESC LIMIT 1',
  );
  const businessFrom = db.prepare<[{ plan: string; day: number }], BlockRow>(
    `SELECT seq, first, block FROM business_line_blocks WHERE plan = @plan AND seq >= coalesce(
       (SELECT seq FROM business_line_blocks WHERE plan = @plan AND first < @day ORDER BY first DESC, seq DESC LIMIT 1), 0) ORDER BY seq`,
  );
  const dirty = db.prepare<[], string>('SELECT plan FROM history_cursors WHERE dirty = 1 ORDER BY plan').pluck();
  return {
    cursor: (plan) => cursor.get(plan),
    lastLedgerBlock: (plan) => {
      const row = lastLedger.get(plan);
      return row && blockOf(row);
    },
    businessBlocksFrom: (plan, day) => businessFrom.all({ plan, day }).map(blockOf),
    dirtyPlans: () => dirty.all(),
  };
};

/**
 * The history on the read store's own connection: its writes join the read store's transactions.
 * A read-only connection of its own (a thread reading part of a view: every-plan/view-worker.ts)
 * makes no tables, and never writes.
 */
export const openHistoryStore = (db: Database.Database): HistoryStore => {
  if (!db.readonly) createHistoryTables(db);
  const putCursor = db.prepare(
    'INSERT INTO history_cursors (plan, dirty, knowledge_pos, cursor) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (plan) DO UPDATE SET dirty = excluded.dirty, knowledge_pos = excluded.knowledge_pos, cursor = excluded.cursor',
  );
  const putLedger = db.prepare(
    'INSERT INTO ledger_line_blocks (plan, seq, first, block) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (plan, seq) DO UPDATE SET first = excluded.first, block = excluded.block',
  );
  const dropBusiness = db.prepare('DELETE FROM business_line_blocks WHERE plan = ? AND seq >= ?');
  const putBusiness = db.prepare('INSERT INTO business_line_blocks (plan, seq, first, block) VALUES (?, ?, ?, ?)');
  const putValue = db.prepare('INSERT OR REPLACE INTO line_values (id, value) VALUES (?, ?)');
  const latestLedger = db.prepare<
    [string],
    { plan: string; dirty: number; knowledgePos: number; lastPos: number; block: Uint8Array | null }
  >(
    `SELECT c.plan, c.dirty, c.knowledge_pos AS knowledgePos, json_extract(c.cursor, '$.lastPos') AS lastPos, b.block FROM history_cursors c
       LEFT JOIN ledger_line_blocks b ON b.rowid = (SELECT rowid FROM ledger_line_blocks WHERE plan = c.plan ORDER BY seq DESC LIMIT 1)
     WHERE c.plan = ?`,
  );
  const allLedger = db.prepare<[string], BlockRow>('SELECT seq, first, block FROM ledger_line_blocks WHERE plan = ? ORDER BY seq');
  const values = db.prepare<[string], { id: number; value: string }>(
    'SELECT id, value FROM line_values WHERE id IN (SELECT value FROM json_each(?))',
  );
  const generation = db.prepare<[], number>('SELECT generation FROM history_generation').pluck();
  // The generation and the values in one transaction: a reset another process commits cannot fall between them.
  const valuesIn = db.transaction((ids: number[], of: number): [number, unknown][] => {
    if (generation.get() !== of) throw new HistoryChanged('rebuilt');
    return values.all(JSON.stringify(ids)).map((r) => [r.id, JSON.parse(r.value) as unknown]);
  });
  const maxValue = db.prepare<[], number | null>('SELECT max(id) FROM line_values').pluck();
  // A scan of one row per plan (a few thousand), after another process's commit only.
  const writtenAfter = db.prepare<[number], string>("SELECT plan FROM history_cursors WHERE json_extract(cursor, '$.lastPos') > ?").pluck();
  // Each plan's block at a point is found in memory; every write and reset here tells it what changed.
  const directory = createBlockDirectory(db);
  // The state a read saw, read in its transaction: the same on any connection for one state of the history.
  const stateNow = db
    .prepare<[], string>("SELECT (SELECT generation FROM history_generation) || ':' || (SELECT writes FROM history_writes)")
    .pluck();
  const together = db.transaction((read: () => unknown) => ({ state: stateNow.get()!, value: read() }));
  /** Reads inside a transaction of this connection not yet committed (read-store.ts, `together`): each its own state. */
  let uncommittedReads = 0;
  return {
    ...readsOn(db),
    write(write: HistoryWrite) {
      directory.forget(touchedPlans(write));
      for (const [id, json] of write.values) putValue.run(id, json);
      for (const { plan, block } of write.ledgerBlocks) putLedger.run(plan, block.seq, block.first, block.bytes);
      for (const { plan, fromSeq, blocks } of write.business) {
        dropBusiness.run(plan, fromSeq);
        for (const block of blocks) putBusiness.run(plan, block.seq, block.first, block.bytes);
      }
      for (const c of write.cursors) putCursor.run(c.plan, c.dirty ? 1 : 0, c.knowledgePos, c.cursor);
    },
    ledgerBlocksAt: (position, after = '', until) => directory.blocksAt('ledger_line_blocks', position, after, until),
    businessBlocksAt: (day, after = '', until) => directory.blocksAt('business_line_blocks', day, after, until),
    planIds: () => directory.planIds(),
    latestLedgerBlockOf: (plan) => {
      const row = latestLedger.get(plan);
      return (
        row && {
          plan: row.plan,
          dirty: row.dirty === 1,
          knowledgePos: row.knowledgePos,
          lastPos: row.lastPos,
          bytes: row.block ?? undefined,
        }
      );
    },
    ledgerBlocksOf: (plan) => allLedger.all(plan).map(blockOf),
    values: (ids, of) => valuesIn(ids, of),
    maxValueId: () => maxValue.get() ?? -1,
    plansWrittenAfter: (position) => writtenAfter.all(position),
    generation: () => generation.get()!,
    readTogether: <T>(read: () => T) => {
      // Such a read sees writes that may yet be rolled back, and the count then reached named again by other writes:
      // its state is one no other read shares.
      const uncommitted = db.inTransaction;
      const { state, value } = together(read) as { state: string; value: T };
      return { state: uncommitted ? `${state} uncommitted ${++uncommittedReads}` : state, value };
    },
    forgetKept: () => directory.clear(),
    reset: () => {
      directory.clear();
      db.exec(
        'DELETE FROM history_cursors; DELETE FROM ledger_line_blocks; DELETE FROM business_line_blocks; DELETE FROM line_values; ' +
          'UPDATE history_generation SET generation = generation + 1;',
      );
    },
  };
};

/** The history's reads on a read-only connection of its own (a rebuild's worker thread). */
export const openHistoryReads = (db: Database.Database): HistoryReads => readsOn(db);

/**
 * The history on a read-only connection of its own to a read store file: a thread reading part of a
 * view over every plan (../../every-plan/view-worker.ts). Nothing is written through it.
 */
export const openHistoryOnReadConnection = (file: string): { history: HistoryStore; close(): void } => {
  const db = new Database(file, { readonly: true });
  db.pragma('busy_timeout = 5000');
  return { history: openHistoryStore(db), close: () => db.close() };
};
