import Database from 'better-sqlite3';
import { namingDamage } from '../../../src/store/damaged-database.ts';
import type { HistoryWrite } from '../../history/storage/history-store.ts';
import { openHistoryReads, openHistoryStore } from '../../history/sqlite/history-store.ts';
import { ReadStoreMoved } from '../read-store.ts';
import type { BuiltFromVerdict, Checkpoint, DocumentReader, ReadStore, Snapshot } from '../read-store.ts';

/** The read store's own tables (the history's are history-store.ts's). */
const createSchema = (db: Database.Database) =>
  db.transaction(() =>
    db.exec(`
    CREATE TABLE IF NOT EXISTS checkpoints (
      projection TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS documents (
      projection TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (projection, key)
    ) STRICT, WITHOUT ROWID;
    -- Snapshots were JSON text in a table named snapshots; they are deflated now (../snapshot-codec.ts).
    DROP TABLE IF EXISTS snapshots;
    CREATE TABLE IF NOT EXISTS packed_snapshots (
      projection TEXT NOT NULL, key TEXT NOT NULL, revision INTEGER NOT NULL, recorded_at TEXT NOT NULL, doc BLOB NOT NULL,
      PRIMARY KEY (projection, key, revision)
    ) STRICT, WITHOUT ROWID;
    -- The snapshot an asOf read starts from is found here: the highest revision among the plan's index entries recorded
    -- by the instant (a short range of small entries, a page or two). Without it the search walked the plan's snapshot
    -- rows back from its last revision, one row of tens of KB (and its pages) each, until one was recorded by then
    -- (docs/projections.md, "One plan at either clock").
    CREATE INDEX IF NOT EXISTS packed_snapshots_by_time ON packed_snapshots (projection, key, recorded_at);
    CREATE TABLE IF NOT EXISTS built_from (
      id INTEGER PRIMARY KEY CHECK (id = 1), first_event_hash TEXT NOT NULL
    ) STRICT;
    -- Streams a parallel rebuild has folded (through a position) while the checkpoints wait for its end (../read-store.ts).
    CREATE TABLE IF NOT EXISTS rebuilt_streams (stream TEXT PRIMARY KEY, through INTEGER NOT NULL) STRICT, WITHOUT ROWID;
  `),
  )();

/**
 * A document's snapshot at an instant: the highest revision among its snapshots recorded by then (recorded_at need
 * not rise with revision on every backend), taken from the index alone (it holds the revision too), then that one row.
 */
export const SNAPSHOT_RECORDED_BY =
  'SELECT revision, recorded_at AS recordedAt, doc FROM packed_snapshots WHERE projection = @projection AND key = @key AND ' +
  'revision = (SELECT max(revision) FROM packed_snapshots INDEXED BY packed_snapshots_by_time ' +
  'WHERE projection = @projection AND key = @key AND recorded_at <= @recordedBy)';

/** The read store in one SQLite file (see ../read-store.ts for what it promises). */
export const openReadStore = (file: string): ReadStore => {
  const db = new Database(file);
  // The first reads of the file: a damaged one fails here, and is named (SQLite's own words name no file).
  namingDamage(file, () => {
    // A new file only (SQLite keeps a file's page size): at a million events the history's blocks are
    // mostly 2–3 KB, so a 4 KiB page holds one and leaves a third of it empty; an 8 KiB page holds three.
    // 16 KiB pages fetched the larger blocks of ten million events faster but made the file a sixth
    // larger (docs/time-travel-measurements.md).
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    // A lost last transaction loses documents and checkpoint together, and catch-up redoes them.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // The schema in one transaction: each statement committed alone wrote its pages to the WAL again, about 700 KB for a
    // new read store, which a small disk must hold until the WAL is checkpointed.
    createSchema(db);
  });
  // Positions as bigint: a ledger position is 64-bit on every backend.
  const getCheckpoint = db
    .prepare<[string], { version: bigint; position: bigint }>('SELECT version, position FROM checkpoints WHERE projection = ?')
    .safeIntegers(true);
  const putCheckpoint = db.prepare(
    'INSERT INTO checkpoints (projection, version, position) VALUES (?, ?, ?) ON CONFLICT (projection) DO UPDATE SET ' +
      'version = excluded.version, position = excluded.position',
  );
  const getDoc = db.prepare<[string, string], { doc: string }>('SELECT doc FROM documents WHERE projection = ? AND key = ?');
  const allDocs = db.prepare<[string], string>('SELECT doc FROM documents WHERE projection = ? ORDER BY key').pluck();
  const putDoc = db.prepare(
    'INSERT INTO documents (projection, key, doc) VALUES (?, ?, ?) ON CONFLICT (projection, key) DO UPDATE SET doc = excluded.doc',
  );
  const deleteDocs = db.prepare('DELETE FROM documents WHERE projection = ?');
  const deleteSnapshots = db.prepare('DELETE FROM packed_snapshots WHERE projection = ?');
  const putSnapshot = db.prepare(
    'INSERT OR REPLACE INTO packed_snapshots (projection, key, revision, recorded_at, doc) VALUES (?, ?, ?, ?, ?)',
  );
  type SnapshotRow = { revision: number; recordedAt: string; doc: Uint8Array };
  const getSnapshot = db.prepare<{ projection: string; key: string; recordedBy: string }, SnapshotRow>(SNAPSHOT_RECORDED_BY);
  const getSnapshotByRevision = db.prepare<[string, string, number], SnapshotRow>(
    'SELECT revision, recorded_at AS recordedAt, doc FROM packed_snapshots WHERE projection = ? AND key = ? AND revision <= ? ' +
      'ORDER BY revision DESC LIMIT 1',
  );

  const history = openHistoryStore(db);
  const getBuiltFrom = db.prepare<[], string>('SELECT first_event_hash FROM built_from WHERE id = 1').pluck();
  const putBuiltFrom = db.prepare('INSERT OR REPLACE INTO built_from (id, first_event_hash) VALUES (1, ?)');
  const furthest = db.prepare<[], bigint | null>('SELECT MAX(position) FROM checkpoints').pluck().safeIntegers(true);
  const forget = ['documents', 'packed_snapshots', 'checkpoints', 'built_from', 'rebuilt_streams'].map((table) =>
    db.prepare(`DELETE FROM ${table}`),
  );
  const putRebuilt = db.prepare(
    'INSERT INTO rebuilt_streams (stream, through) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET through = excluded.through',
  );
  const forgetRebuilt = db.prepare('DELETE FROM rebuilt_streams');
  const judgeBuiltFrom = db.transaction(
    (judge: (builtFrom: string | undefined, furthest: bigint) => BuiltFromVerdict, firstEventHash: string | undefined) => {
      const verdict = judge(getBuiltFrom.get(), furthest.get() ?? -1n);
      if (verdict.keep) return verdict;
      for (const statement of forget) statement.run();
      // The history of the plan lines came from the same ledger as the views: it goes with them.
      history.reset();
      if (firstEventHash !== undefined) putBuiltFrom.run(firstEventHash);
      return verdict;
    },
  );

  // SQLite's data_version changes when another connection commits, never for this one's own commits.
  const dataVersionOf = db.prepare<[], number>('PRAGMA data_version').pluck();
  let adopted = dataVersionOf.get()!;
  /** Inside a write transaction (which holds the write lock, so nothing can commit between this and the writes). */
  const refuseIfMoved = () => {
    if (dataVersionOf.get() !== adopted) throw new ReadStoreMoved();
  };

  const save = db.transaction(
    (projection: string, checkpoint: Checkpoint, documents: Iterable<[string, string]>, snapshots: Snapshot[], lines?: HistoryWrite) => {
      refuseIfMoved();
      for (const [key, json] of documents) putDoc.run(projection, key, json);
      // A snapshot that crossed from a worker thread is a plain Uint8Array: bound as the bytes it views.
      for (const s of snapshots)
        putSnapshot.run(projection, s.key, s.revision, s.recordedAt, Buffer.from(s.doc.buffer, s.doc.byteOffset, s.doc.byteLength));
      if (lines) history.write(lines);
      putCheckpoint.run(projection, checkpoint.version, checkpoint.position);
    },
  );
  const reset = db.transaction((projection: string, version: number, withHistory: boolean) => {
    // A rebuild left unfinished folded this projection's streams too: they must be folded again.
    forgetRebuilt.run();
    deleteDocs.run(projection);
    deleteSnapshots.run(projection);
    if (withHistory) history.reset();
    putCheckpoint.run(projection, version, -1n);
  });

  return {
    file,
    history,
    checkpoint: (projection) => {
      const row = getCheckpoint.get(projection);
      return row && { version: Number(row.version), position: row.position };
    },
    loadDocument: (projection, key) => getDoc.get(projection, key)?.doc,
    documents: (projection) => allDocs.iterate(projection),
    latestSnapshot: (projection, key, recordedBy) => {
      const row = getSnapshot.get({ projection, key, recordedBy });
      return row && { key, ...row };
    },
    snapshotAtOrBefore: (projection, key, revision) => {
      const row = getSnapshotByRevision.get(projection, key, revision);
      return row && { key, ...row };
    },
    adopt: () => {
      adopted = dataVersionOf.get()!;
    },
    movedElsewhere: () => dataVersionOf.get() !== adopted,
    // Immediate: the write lock is taken before the check, not at the first write after it.
    save: (projection, checkpoint, documents, snapshots = [], lines = undefined) =>
      save.immediate(
        projection,
        checkpoint,
        [...documents].map(([key, doc]): [string, string] => [key, JSON.stringify(doc)]),
        snapshots,
        lines,
      ),
    saveText: (projection, checkpoint, documents, snapshots = [], lines = undefined) =>
      save.immediate(projection, checkpoint, documents, snapshots, lines),
    reset: (projection, version, withHistory = false) => reset(projection, version, withHistory),
    // Saves inside run as savepoints of this transaction (better-sqlite3 nests them).
    together: async (work) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        refuseIfMoved();
        const done = await work();
        db.exec('COMMIT');
        return done;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        // Reads while `work` waited saw its uncommitted history; the history's directory may keep it.
        history.forgetKept();
        throw error;
      }
    },
    noteRebuilt: (streams, through) => {
      for (const stream of streams) putRebuilt.run(stream, through);
    },
    forgetRebuilt: () => void forgetRebuilt.run(),
    builtFrom: () => getBuiltFrom.get(),
    recordBuiltFrom: (firstEventHash) => void putBuiltFrom.run(firstEventHash),
    furthestPosition: () => furthest.get() ?? -1n,
    judgeBuiltFrom: (judge, firstEventHash) => judgeBuiltFrom.immediate(judge, firstEventHash),
    close: () => db.close(),
  };
};

/** The documents of a read store, read-only, on a connection of its own (a worker thread's). */
export const openDocumentReader = (file: string): DocumentReader => {
  const db = new Database(file, { readonly: true });
  const load = db.prepare<[string, string], string>('SELECT doc FROM documents WHERE projection = ? AND key = ?').pluck();
  const rebuilt = db.prepare<[string], bigint>('SELECT through FROM rebuilt_streams WHERE stream = ?').pluck().safeIntegers(true);
  return {
    loadDocument: (projection, key) => load.get(projection, key),
    rebuiltThrough: (stream) => rebuilt.get(stream),
    history: openHistoryReads(db),
    close: () => db.close(),
  };
};
