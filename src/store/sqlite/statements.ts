import type { Db } from './connection.ts';
import type { EventRow } from './codec.ts';

type InsertEventParams = [
  position: bigint,
  stream: string,
  revision: bigint,
  eventId: string,
  type: string,
  schemaVersion: number,
  recordedAt: string,
  commandId: string,
  body: string,
  hash: string,
];

export const EVENT_COLUMNS = 'position, stream, revision, body, hash';

/**
 * Every statement the store runs, prepared once per connection. Statements that return
 * position or revision use safeIntegers so 64-bit values are never rounded through a double.
 */
export const prepareStatements = (db: Db) => ({
  begin: db.prepare('BEGIN IMMEDIATE'),
  commit: db.prepare('COMMIT'),
  rollback: db.prepare('ROLLBACK'),
  savepoint: db.prepare('SAVEPOINT append_request'),
  release: db.prepare('RELEASE append_request'),
  rollbackTo: db.prepare('ROLLBACK TO append_request'),

  findCommand: db.prepare<[string], { result: string }>('SELECT result FROM commands WHERE command_id = ?'),
  // ORDER BY … DESC LIMIT 1 walks the (stream, revision) index from its end: one row read.
  streamRevision: db
    .prepare<[string], { revision: bigint }>('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1')
    .safeIntegers(true),
  streamHead: db
    .prepare<[string], { revision: bigint; hash: string | null }>(
      'SELECT revision, hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
    )
    .safeIntegers(true),
  headPosition: db.prepare<[], { position: bigint }>('SELECT position FROM events ORDER BY position DESC LIMIT 1').safeIntegers(true),
  // A search for an instant on a file marked as holding recorded_at out of order reads only these two columns of each
  // event it probes, not the event.
  probeFrom: db
    .prepare<[position: bigint], { position: bigint; recordedAt: string }>(
      'SELECT position, recorded_at AS recordedAt FROM events WHERE position >= ? ORDER BY position LIMIT 1',
    )
    .safeIntegers(true),
  // Whether migration 4 found recorded_at going down somewhere in the file (schema.ts).
  ledgerTimeOutOfOrder: db.prepare<[], { position: number }>('SELECT position FROM ledger_time_out_of_order LIMIT 1'),
  // The last event recorded at or before an instant: one search of the ledger-time index (schema.ts, migration 4), whose
  // entries carry the position. Of events stamped alike (a command's, a commit's) the last. INDEXED BY, so that a file
  // without the index fails here rather than scanning every event.
  lastRecordedBy: db
    .prepare<[instant: string], { position: bigint }>(
      `SELECT position FROM events INDEXED BY events_by_ledger_time
       WHERE recorded_at <= ? ORDER BY recorded_at DESC, position DESC LIMIT 1`,
    )
    .safeIntegers(true),
  // The append's one look at the ledger's end: where the next event goes, and the time it may not precede (also the
  // ledger time at the head).
  ledgerHead: db
    .prepare<[], { position: bigint; recordedAt: string }>(
      'SELECT position, recorded_at AS recordedAt FROM events ORDER BY position DESC LIMIT 1',
    )
    .safeIntegers(true),
  count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events'),

  insertEvent: db.prepare<InsertEventParams>(
    `INSERT INTO events (position, stream, revision, event_id, type, schema_version, recorded_at, command_id, body, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  insertCommand: db.prepare<[commandId: string, stream: string, result: string]>(
    'INSERT INTO commands (command_id, stream, result) VALUES (?, ?, ?)',
  ),

  // Keyset pages: each page starts where the last ended, so no OFFSET scan and no cursor held open.
  readStreamPage: db
    .prepare<[stream: string, fromRevision: bigint, limit: number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    )
    .safeIntegers(true),
  // Up to a position. A stream's positions rise with its revisions, but SQLite cannot know it: `position <= ?` alone would
  // scan the rest of the stream's index. The subquery finds the first revision past the position in the (stream, revision)
  // index, which holds the position (the rowid), and the read stops before it.
  readStreamPageUpTo: db
    .prepare<{ stream: string; from: bigint; to: bigint; limit: number }, EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = @stream AND revision >= @from AND revision < IFNULL(
         (SELECT revision FROM events WHERE stream = @stream AND revision >= @from AND position > @to ORDER BY revision LIMIT 1),
         9223372036854775807
       ) ORDER BY revision LIMIT @limit`,
    )
    .safeIntegers(true),
  // The revisions come as a JSON array: one statement however many are asked, each found in the (stream, revision) index.
  readStreamRevisions: db
    .prepare<[stream: string, revisions: string], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision IN (SELECT value FROM json_each(?)) ORDER BY revision`,
    )
    .safeIntegers(true),
  readAllPage: db
    .prepare<[fromPosition: bigint, limit: number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? ORDER BY position LIMIT ?`,
    )
    .safeIntegers(true),
});

export type Statements = ReturnType<typeof prepareStatements>;
