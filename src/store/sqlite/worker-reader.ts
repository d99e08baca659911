import Database from 'better-sqlite3';
import type { OpenWorkerLedgerReader, WorkerReadSource } from '../worker-reader.ts';
import { toStoredEvent, type EventRow } from './codec.ts';
import { EVENT_COLUMNS } from './statements.ts';

/** Worker threads read a SQLite ledger by opening the file read-only themselves. */
export const sqliteWorkerReads = (file: string): WorkerReadSource => ({
  module: new URL('./worker-reader.ts', import.meta.url).href,
  options: { file },
});

/** Called in a worker thread with the options above: pages of events straight from the file. */
export const openWorkerLedgerReader: OpenWorkerLedgerReader = (options) => {
  const db = new Database(String(options['file']), { readonly: true });
  const page = db
    .prepare<[bigint, bigint, number], EventRow & { type: string }>(
      `SELECT ${EVENT_COLUMNS}, type FROM events WHERE position >= ? AND position <= ? ORDER BY position LIMIT ?`,
    )
    .safeIntegers(true);
  // The (stream, revision) index gives the stream in order; a stream's positions rise with its revisions.
  const streamUpTo = db
    .prepare<[string, bigint], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND position <= ? ORDER BY revision`)
    .safeIntegers(true);
  return {
    async readRange(from, to, limit, wanted) {
      const rows = page.all(from, to, limit);
      // Rows of other streams are counted but never parsed: that is most of the file for each thread.
      const events = [];
      for (const row of rows) if (wanted(row.stream, row.type)) events.push(toStoredEvent(row));
      return { read: rows.length, last: rows.at(-1)?.position, events };
    },
    async readStream(stream, upTo) {
      return streamUpTo.all(stream, upTo).map(toStoredEvent);
    },
    close: () => db.close(),
  };
};
