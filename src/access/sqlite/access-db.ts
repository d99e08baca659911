import fs from 'node:fs';
import path from 'node:path';
import { configureConnection, type Db } from '../../store/sqlite/connection.ts';
import Database from 'better-sqlite3';

/**
 * Keys and the access log are kept out of the ledger: they are not facts about plans, a
 * revoked key is updated in place, and the ledger's hash chain and exports must not carry
 * credentials. Same durability as the ledger (WAL, synchronous=FULL): a revocation or an
 * audited read, once acknowledged, survives power loss.
 *
 * Two files, not one: keys are read on every request and the access log is written on
 * almost every request by its writer thread. In one file each of those commits made the
 * next key lookup on the serving thread wait on the WAL (measured: API-key requests cost
 * ~25% more than token requests); apart, key lookups never meet a concurrent writer.
 */
const keysSchema = `
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
`;

const accessLogSchema = `
CREATE TABLE IF NOT EXISTS access_log (
  -- No AUTOINCREMENT (it would rewrite sqlite_sequence on every commit, one more page to fsync):
  -- the writer gives each row the next id after both the live rows and the archived ones, so ids
  -- only grow even when every live row has been archived.
  id INTEGER PRIMARY KEY,
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
-- Archived periods (src/access/archive): what was moved to which segment file, by whom, when.
-- Records are never changed or removed.
CREATE TABLE IF NOT EXISTS access_log_archives (
  period TEXT PRIMARY KEY,
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  count INTEGER NOT NULL,
  previous_hash TEXT NOT NULL,
  final_hash TEXT NOT NULL,
  file TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  archived_at TEXT NOT NULL,
  archived_by TEXT NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS access_log_archives_no_update BEFORE UPDATE ON access_log_archives
  BEGIN SELECT RAISE(ABORT, 'archive records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS access_log_archives_no_delete BEFORE DELETE ON access_log_archives
  BEGIN SELECT RAISE(ABORT, 'archive records are append-only'); END;
-- A row leaves the live log only once an archive record covers it: archiving, never deletion.
DROP TRIGGER IF EXISTS access_log_no_delete;
CREATE TRIGGER IF NOT EXISTS access_log_delete_only_archived BEFORE DELETE ON access_log
  WHEN NOT EXISTS (SELECT 1 FROM access_log_archives WHERE OLD.id BETWEEN first_id AND last_id)
  BEGIN SELECT RAISE(ABORT, 'the access log is append-only: only archived entries leave it'); END;
`;

/** `<dataDir>/access.db` holds the API keys, `<dataDir>/access-log.db` the access log. */
export const accessFiles = (dataDir: string) => ({ keys: path.join(dataDir, 'access.db'), log: path.join(dataDir, 'access-log.db') });
export type AccessFiles = ReturnType<typeof accessFiles>;

export const openKeysDb = (file: string): Db => open(file, keysSchema);
export const openAccessLogDb = (file: string): Db => open(file, accessLogSchema);

const open = (file: string, schema: string): Db => {
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
