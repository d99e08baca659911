import type { Db } from './connection.ts';
import { backfillChainHashes } from './backfill-hashes.ts';

/**
 * Migrations in order; the file's user_version says how many have run. Never edit a
 * migration once released: append a new one, so every existing ledger upgrades the same way.
 */
export const migrations: ReadonlyArray<string | ((db: Db) => void)> = [
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
  // 2: the hash chain and the Merkle tree (src/integrity). Events written before it get their
  // chain hashes first, then hash becomes write-once: set on insert, never null, never updated.
  (db) => {
    backfillChainHashes(db);
    db.exec(`
    DROP TRIGGER events_append_only_update;
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: events cannot be changed'); END;
    CREATE TRIGGER events_hash_required BEFORE INSERT ON events
    WHEN NEW.hash IS NULL OR length(NEW.hash) != 64
    BEGIN SELECT RAISE(ABORT, 'every event must be stored with its chain hash'); END;

    -- Perfect subtrees of the ledger Merkle tree (level >= 1; level 0 is leaf(events.hash)):
    -- node (level, idx) covers positions [idx * 2^level, (idx + 1) * 2^level). Derived data,
    -- filled lazily, so proofs read O(log n) rows; verify checks it, never trusts it.
    CREATE TABLE merkle_nodes (
      level INTEGER NOT NULL CHECK (level >= 1),
      idx   INTEGER NOT NULL CHECK (idx >= 0),
      hash  BLOB    NOT NULL CHECK (length(hash) = 32),
      PRIMARY KEY (level, idx)
    ) STRICT, WITHOUT ROWID;

    -- Signed checkpoints: the ledger's signed statements of its size and root. Kept forever.
    CREATE TABLE checkpoints (
      tree_size INTEGER PRIMARY KEY CHECK (tree_size >= 1),
      root_hash TEXT NOT NULL CHECK (length(root_hash) = 64),
      issued_at TEXT NOT NULL,
      key_id    TEXT NOT NULL,
      signature TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER checkpoints_append_only_delete BEFORE DELETE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'checkpoints cannot be deleted'); END;
    CREATE TRIGGER checkpoints_append_only_update BEFORE UPDATE ON checkpoints
    BEGIN SELECT RAISE(ABORT, 'checkpoints cannot be changed'); END;
    `);
  },
  // 3: checkpoints form a series (each names the one before it, and carries its public key:
  // src/integrity/checkpoint.ts); command results are append-only like the events they answer for.
  `
  ALTER TABLE checkpoints ADD COLUMN public_key TEXT;
  ALTER TABLE checkpoints ADD COLUMN previous_tree_size INTEGER;
  ALTER TABLE checkpoints ADD COLUMN previous_hash TEXT;
  CREATE TRIGGER commands_append_only_delete BEFORE DELETE ON commands
  BEGIN SELECT RAISE(ABORT, 'command results cannot be deleted: a retry would run the command again'); END;
  CREATE TRIGGER commands_append_only_update BEFORE UPDATE ON commands
  BEGIN SELECT RAISE(ABORT, 'command results cannot be changed'); END;
  `,
  // 4: the events by ledger time, so an asOf finds its position in one search of a small index
  // (positionAt) rather than a binary search of some twenty reads of the events' own rows. Derived
  // from the rows, and kept by SQLite on every insert. A file written before ledger time was kept may
  // hold a stretch where recorded_at goes down (its clock stepped back); there the index's answer could
  // go back as the instant goes on, so such a file is marked and keeps the search over positions. Every
  // append since is recorded in order (ledger-time.ts), so this is known once, here.
  (db) => {
    createLedgerTimeIndex(db);
    markStepBack(db);
  },
];

const createLedgerTimeIndex = (db: Db): void => void db.exec('CREATE INDEX events_by_ledger_time ON events (recorded_at)');
const markStepBack = (db: Db): void => {
  db.exec('CREATE TABLE ledger_time_out_of_order (position INTEGER NOT NULL) STRICT');
  const stepBack = firstStepBack(db);
  if (stepBack !== undefined) db.prepare('INSERT INTO ledger_time_out_of_order (position) VALUES (?)').run(stepBack);
};

/**
 * What the schema holds that is worked out from the events alone, by the version that added it, and how to work it
 * out again. Someone may drop one (a stray sqlite3 shell, a tool "tidying" indexes); without it the file would not
 * open ("no such index"), though nothing recorded was touched. So each open puts back what is missing.
 */
const DERIVED: ReadonlyArray<{ name: string; since: number; create: (db: Db) => void }> = [
  { name: 'events_by_ledger_time', since: 4, create: createLedgerTimeIndex },
  // Its order matters: markStepBack walks the index by ledger time.
  { name: 'ledger_time_out_of_order', since: 4, create: markStepBack },
];

/** What is derived and missing from a file at this schema version. */
const derivedMissing = (db: Db, version: number) => {
  const named = db.prepare<[string], number>('SELECT 1 FROM sqlite_master WHERE name = ?').pluck();
  return DERIVED.filter((part) => part.since <= version && named.get(part.name) === undefined);
};

/** The names of what is derived and missing from a file at this schema version (which the next writer to open it puts back). */
export const missingDerivedNames = (db: Db, version: number): string[] => derivedMissing(db, version).map((part) => part.name);

/** Puts back what is derived and missing from a file at this schema version; the names put back. */
const restoreDerived = (db: Db, version: number): string[] => {
  const missing = derivedMissing(db, version);
  for (const part of missing) part.create(db);
  return missing.map((part) => part.name);
};

/**
 * A position whose recorded_at is earlier than an earlier position's, or undefined when none is: read from the index
 * by ledger time, whose order (recorded_at, position) is the positions' own order exactly when recorded_at never goes
 * down (0.4 s at a million events, 2.9 s at ten million, in a scratch script).
 */
const firstStepBack = (db: Db): number | undefined => {
  let previous = -1;
  const inTimeOrder = db.prepare<[], number>('SELECT position FROM events INDEXED BY events_by_ledger_time ORDER BY recorded_at, position');
  for (const position of inTimeOrder.pluck().safeIntegers(false).iterate()) {
    if (position < previous) return position;
    previous = position;
  }
  return undefined;
};

export const SCHEMA_VERSION = migrations.length;

export class SchemaTooNew extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`ledger schema version ${found} is newer than this build supports (${supported}); upgrade the software`);
  }
}

/**
 * Told when a file written by an earlier release is brought up to this one's schema (not a new file),
 * before and after: on a large ledger that takes a while, under the write lock, so whoever opens it
 * can say so. Told `waiting` when another process holds the write lock past the busy timeout (one
 * bringing the file up to date, or a large import), before this one waits on.
 */
export type OnUpgrade = (
  upgrade: { from: number; to: number; done?: { seconds: number } } | { waiting: true } | { restored: string[]; seconds: number },
) => void;

/** What a person starting the service sees while an earlier release's file is brought up to date: it can take a while. */
export const reportUpgrade =
  (file: string): OnUpgrade =>
  (upgrade) =>
    process.stderr.write(
      'waiting' in upgrade
        ? `ledger: another process holds the write lock on ${file} (bringing it up to date, or a large import): waiting for it\n`
        : 'restored' in upgrade
          ? `ledger: ${upgrade.restored.join(' and ')} ${upgrade.restored.length > 1 ? 'were' : 'was'} missing from ${file} ` +
            `(dropped by hand: worked out from the events, so nothing recorded is lost); put back in ${upgrade.seconds.toFixed(1)} s\n`
          : upgrade.done
            ? `ledger: ${file} is at schema version ${upgrade.to} (${upgrade.done.seconds.toFixed(1)} s)\n`
            : `ledger: bringing ${file} from schema version ${upgrade.from} to ${upgrade.to}; on a large ledger this takes a ` +
              'while (to version 4: two or three seconds per million events), and writes wait for it\n',
    );

/**
 * Brings the file up to SCHEMA_VERSION. Runs under BEGIN IMMEDIATE and re-reads
 * user_version inside it, so two processes opening a new file at once migrate it once.
 */
export const migrate = (db: Db, onUpgrade?: OnUpgrade): void => {
  try {
    migrateWithin(db, onUpgrade);
    return;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
  }
  // Another process holds the write lock past the busy timeout: perhaps bringing the file up to date, which takes a while
  // on a large ledger. This one says so and waits for it, rather than failing. (Nothing was done: BEGIN IMMEDIATE failed.)
  onUpgrade?.({ waiting: true });
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${Math.max(busyTimeout, UPGRADE_WAIT_MS)}`);
  try {
    migrateWithin(db, onUpgrade);
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
};

/** How long an opening process waits for another that holds the write lock (bringing the file up to date, say). */
const UPGRADE_WAIT_MS = 10 * 60_000;

const migrateWithin = (db: Db, onUpgrade?: OnUpgrade): void => {
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) throw new SchemaTooNew(current, SCHEMA_VERSION);
    const upgrade = current > 0 && current < SCHEMA_VERSION ? { from: current, to: SCHEMA_VERSION } : undefined;
    const started = performance.now();
    if (upgrade) onUpgrade?.(upgrade);
    for (let version = current; version < SCHEMA_VERSION; version++) {
      const migration = migrations[version]!;
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
    }
    // user_version lives in the file header and is part of this transaction.
    if (current !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    const restoring = performance.now();
    const restored = restoreDerived(db, SCHEMA_VERSION);
    db.exec('COMMIT');
    if (upgrade) onUpgrade?.({ ...upgrade, done: { seconds: (performance.now() - started) / 1000 } });
    if (restored.length > 0) onUpgrade?.({ restored, seconds: (performance.now() - restoring) / 1000 });
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
};
