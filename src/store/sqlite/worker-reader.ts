import Database from 'better-sqlite3';
import type { OpenWorkerLedgerReader, WorkerReadSource } from '../worker-reader.ts';
import { toStoredEvent, type EventRow } from './codec.ts';
import { EVENT_COLUMNS } from './statements.ts';

/** Called in a worker thread with the options below: pages of events straight from the file. */
export const openWorkerLedgerReader: OpenWorkerLedgerReader = (options) => {
  const db = new Database(String(options['file']), { readonly: true });
  // A statement per set of types asked for (one set per rebuild): the type filter runs in SQLite,
  // which reads the type column of each row without copying its body out, and no index is needed
  // for a scan that visits the whole range once.
  const typePages = new Map<string, Database.Statement<unknown[], EventRow>>();
  const typePage = (types: readonly string[]) => {
    const key = types.join('\n');
    let statement = typePages.get(key);
    if (!statement) {
      const placeholders = types.map(() => '?').join(', ');
      statement = db
        .prepare<unknown[], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? AND position <= ? AND type IN (${placeholders})` +
            ' ORDER BY position LIMIT ?',
        )
        .safeIntegers(true);
      typePages.set(key, statement);
    }
    return statement;
  };
  // The (stream, revision) index gives the stream in order; a stream's positions rise with its
  // revisions, and each index entry carries its position (the rowid), so none of these reads a row it does not return.
  const streamPage = db
    .prepare<[string, bigint, bigint, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? AND position <= ? ORDER BY revision LIMIT ?`,
    )
    .safeIntegers(true);
  // One step along the index per stream, however many events each holds.
  const nextStream = db.prepare<[string], string>('SELECT stream FROM events WHERE stream > ? ORDER BY stream LIMIT 1').pluck();
  const firstRevisionIn = db
    .prepare<[string, bigint, bigint], bigint>(
      'SELECT revision FROM events WHERE stream = ? AND position >= ? AND position <= ? ORDER BY revision LIMIT 1',
    )
    .pluck()
    .safeIntegers(true);
  const countIn = db
    .prepare<[string, bigint, bigint], number>('SELECT count(*) FROM events WHERE stream = ? AND position >= ? AND position <= ?')
    .pluck();
  return {
    async readTypes(from, to, types, limit) {
      if (types.length === 0) return [];
      return typePage(types)
        .all(from, to, ...types, limit)
        .map(toStoredEvent);
    },
    async streams() {
      const found: string[] = [];
      for (let stream = nextStream.get(''); stream !== undefined; stream = nextStream.get(stream)) found.push(stream);
      return found;
    },
    async firstRevisionIn(stream, from, to) {
      return firstRevisionIn.get(stream, from, to);
    },
    async countIn(stream, from, to) {
      return countIn.get(stream, from, to) ?? 0;
    },
    async readStream(stream, fromRevision, upTo, limit) {
      return streamPage.all(stream, fromRevision, upTo, limit).map(toStoredEvent);
    },
    close: () => db.close(),
  };
};

/** Worker threads read a SQLite ledger by opening the file read-only themselves. */
export const sqliteWorkerReads = (file: string): WorkerReadSource => ({
  module: new URL('./worker-reader.ts', import.meta.url).href,
  options: { file },
  openHere: openWorkerLedgerReader,
});
