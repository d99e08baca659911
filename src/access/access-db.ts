import fs from 'node:fs';
import path from 'node:path';
import { configureConnection, type Db } from '../store/sqlite/connection.ts';
import Database from 'better-sqlite3';

/**
 * Keys and the access log live in their own file, `<dataDir>/access.db`, not in the
 * ledger: they are not facts about plans, a revoked key is updated in place, and the
 * ledger's hash chain and exports must not carry credentials. Same durability as the
 * ledger (WAL, synchronous=FULL): a revocation or an audited read, once acknowledged,
 * survives power loss.
 */
const schema = `
CREATE TABLE IF NOT EXISTS api_keys (
  key_id TEXT PRIMARY KEY,
  hash BLOB NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  organisation TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS access_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  principal_id TEXT,
  principal_name TEXT,
  role TEXT,
  organisation TEXT,
  method TEXT NOT NULL,
  route TEXT NOT NULL,
  path TEXT NOT NULL,
  plan_id TEXT,
  status INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  ip TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS access_log_plan ON access_log (plan_id, id);
CREATE INDEX IF NOT EXISTS access_log_principal ON access_log (principal_id, id);
-- The access log is evidence too: rows are only ever added.
CREATE TRIGGER IF NOT EXISTS access_log_no_update BEFORE UPDATE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS access_log_no_delete BEFORE DELETE ON access_log
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
`;

export const accessDbFile = (dataDir: string) => path.join(dataDir, 'access.db');

export const openAccessDb = (file: string): Db => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 5000 });
  try {
    configureConnection(db, 5000);
    db.exec(schema);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};
