import type { Db } from './connection.ts';

/**
 * Migrations in order; the file's user_version says how many have run. Never edit a
 * migration once released: append a new one, so every existing ledger upgrades the same way.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE events (
    -- 0-based global order. Assigned as max+1 inside the write transaction, so it is gap-free.
    position       INTEGER PRIMARY KEY CHECK (position >= 0),
    stream         TEXT    NOT NULL,
    revision       INTEGER NOT NULL CHECK (revision >= 0),
    event_id       TEXT    NOT NULL UNIQUE,
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    recorded_at    TEXT    NOT NULL,
    command_id     TEXT    NOT NULL,
    -- The whole NewEvent (metadata and data) as JSON; the columns above are copies for querying.
    body           TEXT    NOT NULL CHECK (json_valid(body)),
    -- Reserved for the hash chain.
    hash           TEXT,
    UNIQUE (stream, revision)
  ) STRICT;

  -- One row per applied command, kept forever: a retry years later still replays.
  CREATE TABLE commands (
    command_id TEXT NOT NULL PRIMARY KEY,
    stream     TEXT NOT NULL,
    result     TEXT NOT NULL CHECK (json_valid(result))
  ) STRICT, WITHOUT ROWID;

  -- An audit ledger is append-only: refuse deletes and rewrites even from a stray sqlite3 shell.
  -- Only hash may be filled in later (the hash chain may be back-filled).
  CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: events cannot be deleted'); END;
  CREATE TRIGGER events_append_only_update
  BEFORE UPDATE OF position, stream, revision, event_id, type, schema_version, recorded_at, command_id, body ON events
  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: events cannot be changed'); END;
  `,
];

export const SCHEMA_VERSION = migrations.length;

export class SchemaTooNew extends Error {
  constructor(readonly found: number, readonly supported: number) {
    super(`ledger schema version ${found} is newer than this build supports (${supported}); upgrade the software`);
  }
}

/**
 * Brings the file up to SCHEMA_VERSION. Runs under BEGIN IMMEDIATE and re-reads
 * user_version inside it, so two processes opening a new file at once migrate it once.
 */
export const migrate = (db: Db): void => {
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) throw new SchemaTooNew(current, SCHEMA_VERSION);
    for (let version = current; version < SCHEMA_VERSION; version++) db.exec(migrations[version]!);
    // user_version lives in the file header and is part of this transaction.
    if (current !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
};
