import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { configureConnection } from '../../store/sqlite/connection.ts';
import type { OperationKind, OperationRun, OperationsStore } from '../port.ts';

/** `<dataDir>/operations.db`: scheduled-task claims and run outcomes, shared by every process on the data dir. */
export const operationsFile = (dataDir: string) => path.join(dataDir, 'operations.db');

const schema = `
CREATE TABLE IF NOT EXISTS scheduled_claims (
  task TEXT NOT NULL,
  slot TEXT NOT NULL,
  holder TEXT NOT NULL,
  claimed_at TEXT NOT NULL,
  PRIMARY KEY (task, slot)
) STRICT;
CREATE TABLE IF NOT EXISTS operation_runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  ok INTEGER NOT NULL,
  detail TEXT NOT NULL,
  by TEXT NOT NULL,
  bytes INTEGER,
  location TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS operation_runs_kind ON operation_runs (kind, ok, id);
`;

type RunRow = {
  kind: OperationKind;
  started_at: string;
  finished_at: string;
  ok: number;
  detail: string;
  by: string;
  bytes: number | null;
  location: string | null;
};

const toRun = (row: RunRow | undefined): OperationRun | undefined =>
  row && {
    kind: row.kind,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    ok: row.ok === 1,
    detail: row.detail,
    by: row.by,
    ...(row.bytes === null ? {} : { bytes: row.bytes }),
    ...(row.location === null ? {} : { location: row.location }),
  };

/**
 * The embedded operations store. A claim is an INSERT that only the first caller's commit
 * makes (the primary key decides, inside SQLite's write lock), so two instances ticking at
 * the same moment cannot both take a slot.
 */
export const openSqliteOperations = (dataDir: string, clock: () => Date = () => new Date()): OperationsStore => {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(operationsFile(dataDir), { timeout: 5000 });
  try {
    configureConnection(db, 5000);
    db.exec(schema);
  } catch (error) {
    db.close();
    throw error;
  }
  const claim = db.prepare('INSERT INTO scheduled_claims (task, slot, holder, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const insertRun = db.prepare(
    'INSERT INTO operation_runs (kind, started_at, finished_at, ok, detail, by, bytes, location) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const last = db.prepare<[string], RunRow>('SELECT * FROM operation_runs WHERE kind = ? ORDER BY id DESC LIMIT 1');
  const lastOk = db.prepare<[string], RunRow>('SELECT * FROM operation_runs WHERE kind = ? AND ok = 1 ORDER BY id DESC LIMIT 1');
  return {
    claim: async (task, slot, holder) => claim.run(task, slot, holder, clock().toISOString()).changes === 1,
    record: async (run) => {
      insertRun.run(run.kind, run.startedAt, run.finishedAt, run.ok ? 1 : 0, run.detail, run.by, run.bytes ?? null, run.location ?? null);
    },
    latest: async (kind) => ({ last: toRun(last.get(kind)), lastOk: toRun(lastOk.get(kind)) }),
    close: async () => {
      db.close();
    },
  };
};
