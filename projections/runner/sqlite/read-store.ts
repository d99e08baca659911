import Database from 'better-sqlite3';
import type { HistoryWrite } from '../../history/storage/history-store.ts';
import { openHistoryReads, openHistoryStore } from '../../history/sqlite/history-store.ts';
import type { Checkpoint, DocumentReader, ReadStore, Snapshot } from '../read-store.ts';

/** The read store in one SQLite file (see ../read-store.ts for what it promises). */
export const openReadStore = (file: string): ReadStore => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // A lost last transaction loses documents and checkpoint together, and catch-up redoes them.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS checkpoints (
      projection TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS documents (
      projection TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (projection, key)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS snapshots (
      projection TEXT NOT NULL, key TEXT NOT NULL, revision INTEGER NOT NULL, recorded_at TEXT NOT NULL, doc TEXT NOT NULL,
      PRIMARY KEY (projection, key, revision)
    ) STRICT, WITHOUT ROWID;
  `);
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
  const deleteSnapshots = db.prepare('DELETE FROM snapshots WHERE projection = ?');
  const putSnapshot = db.prepare('INSERT OR REPLACE INTO snapshots (projection, key, revision, recorded_at, doc) VALUES (?, ?, ?, ?, ?)');
  const getSnapshot = db.prepare<[string, string, string], { revision: number; recordedAt: string; doc: string }>(
    'SELECT revision, recorded_at AS recordedAt, doc FROM snapshots WHERE projection = ? AND key = ? AND recorded_at ' +
      '<= ? ORDER BY revision DESC LIMIT 1',
  );

  const history = openHistoryStore(db);
  const save = db.transaction(
    (projection: string, checkpoint: Checkpoint, documents: Iterable<[string, string]>, snapshots: Snapshot[], lines?: HistoryWrite) => {
      for (const [key, json] of documents) putDoc.run(projection, key, json);
      for (const s of snapshots) putSnapshot.run(projection, s.key, s.revision, s.recordedAt, s.doc);
      if (lines) history.write(lines);
      putCheckpoint.run(projection, checkpoint.version, checkpoint.position);
    },
  );
  const reset = db.transaction((projection: string, version: number, withHistory: boolean) => {
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
      const row = getSnapshot.get(projection, key, recordedBy);
      return row && { key, ...row };
    },
    save: (projection, checkpoint, documents, snapshots = [], lines = undefined) =>
      save(
        projection,
        checkpoint,
        [...documents].map(([key, doc]): [string, string] => [key, JSON.stringify(doc)]),
        snapshots,
        lines,
      ),
    saveText: (projection, checkpoint, documents, snapshots = [], lines = undefined) =>
      save(projection, checkpoint, documents, snapshots, lines),
    reset: (projection, version, withHistory = false) => reset(projection, version, withHistory),
    close: () => db.close(),
  };
};

/** The documents of a read store, read-only, on a connection of its own (a worker thread's). */
export const openDocumentReader = (file: string): DocumentReader => {
  const db = new Database(file, { readonly: true });
  const load = db.prepare<[string, string], string>('SELECT doc FROM documents WHERE projection = ? AND key = ?').pluck();
  return { loadDocument: (projection, key) => load.get(projection, key), history: openHistoryReads(db), close: () => db.close() };
};
