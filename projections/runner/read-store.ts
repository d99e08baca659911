import Database from 'better-sqlite3';

/**
 * The local read store (`<dataDir>/read-models.db`), separate from the ledger: it can be
 * deleted and rebuilt at any time. Each projection's documents and its checkpoint change
 * in one transaction, so after a crash a projection is exactly at its checkpoint: no
 * event applied twice, none skipped.
 */
export interface Checkpoint {
  version: number;
  /** The last global position applied; -1 before the first event. */
  position: number;
}

/** A document as it stood after a given revision of its stream. */
export interface Snapshot {
  key: string;
  revision: number;
  recordedAt: string;
  doc: string;
}

export interface ReadStore {
  readonly file: string;
  checkpoint(projection: string): Checkpoint | undefined;
  loadDocument(projection: string, key: string): string | undefined;
  documents(projection: string): IterableIterator<string>;
  /** The latest snapshot of a document recorded at or before the instant, if any. */
  latestSnapshot(projection: string, key: string, recordedBy: string): Snapshot | undefined;
  /** Writes the changed documents, new snapshots and the new checkpoint atomically. */
  save(projection: string, checkpoint: Checkpoint, documents: Iterable<[string, unknown]>, snapshots?: Snapshot[]): void;
  /** The same, for documents already serialised (a parallel rebuild's workers send JSON text). */
  saveText(projection: string, checkpoint: Checkpoint, documents: Iterable<[string, string]>, snapshots?: Snapshot[]): void;
  /** Forgets a projection's documents and sets it back to before the first event. */
  reset(projection: string, version: number): void;
  close(): void;
}

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
  const getCheckpoint = db.prepare<[string], Checkpoint>('SELECT version, position FROM checkpoints WHERE projection = ?');
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
    'SELECT revision, recorded_at AS recordedAt, doc FROM snapshots WHERE projection = ? AND key = ? AND recorded_at <= ? ' +
      'ORDER BY revision DESC LIMIT 1',
  );

  const save = db.transaction(
    (projection: string, checkpoint: Checkpoint, documents: Iterable<[string, string]>, snapshots: Snapshot[]) => {
      for (const [key, json] of documents) putDoc.run(projection, key, json);
      for (const s of snapshots) putSnapshot.run(projection, s.key, s.revision, s.recordedAt, s.doc);
      putCheckpoint.run(projection, checkpoint.version, checkpoint.position);
    },
  );
  const reset = db.transaction((projection: string, version: number) => {
    deleteDocs.run(projection);
    deleteSnapshots.run(projection);
    putCheckpoint.run(projection, version, -1);
  });

  return {
    file,
    checkpoint: (projection) => getCheckpoint.get(projection),
    loadDocument: (projection, key) => getDoc.get(projection, key)?.doc,
    documents: (projection) => allDocs.iterate(projection),
    latestSnapshot: (projection, key, recordedBy) => {
      const row = getSnapshot.get(projection, key, recordedBy);
      return row && { key, ...row };
    },
    save: (projection, checkpoint, documents, snapshots = []) =>
      save(
        projection,
        checkpoint,
        [...documents].map(([key, doc]): [string, string] => [key, JSON.stringify(doc)]),
        snapshots,
      ),
    saveText: (projection, checkpoint, documents, snapshots = []) => save(projection, checkpoint, documents, snapshots),
    reset: (projection, version) => reset(projection, version),
    close: () => db.close(),
  };
};
