import type { Db } from '../../store/sqlite/connection.ts';
import type { AccessLogRetention, ArchiveRecord } from '../archive/port.ts';
import type { LoggedAccess } from '../port.ts';
import { openAccessLogDb } from './access-db.ts';
import { toEntry, type AccessLogRow } from './access-log.ts';

const PAGE = 1000;
/** Rows removed per transaction, so the access-log writer never waits long for the lock. */
const DELETE_BATCH = 5000;

type ArchiveRow = {
  period: string;
  first_id: number;
  last_id: number;
  count: number;
  previous_hash: string;
  final_hash: string;
  file: string;
  file_sha256: string;
  archived_at: string;
  archived_by: string;
};

const toRecord = (r: ArchiveRow): ArchiveRecord => ({
  period: r.period,
  firstId: r.first_id,
  lastId: r.last_id,
  count: r.count,
  previousHash: r.previous_hash,
  finalHash: r.final_hash,
  file: r.file,
  fileSha256: r.file_sha256,
  archivedAt: r.archived_at,
  archivedBy: r.archived_by,
});

/** Archiving support for `<dataDir>/access-log.db`, on a connection of its own (a CLI command's). */
export const openSqliteAccessLogRetention = (file: string): AccessLogRetention & { close(): void } => {
  const db: Db = openAccessLogDb(file);
  const range = db.prepare<[], { first: number | null; last: number | null; n: number }>(
    'SELECT min(id) AS first, max(id) AS last, count(*) AS n FROM access_log',
  );
  const countFrom = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM access_log WHERE id >= ?');
  const atOrAfter = db.prepare<[number, string], { first: number | null }>(
    'SELECT min(id) AS first FROM access_log WHERE id >= ? AND at >= ?',
  );
  const page = db.prepare<[number, number, number], AccessLogRow>('SELECT * FROM access_log WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?');
  const all = db.prepare<[], ArchiveRow>('SELECT * FROM access_log_archives ORDER BY first_id');
  const insert = db.prepare(
    `INSERT INTO access_log_archives
       (period, first_id, last_id, count, previous_hash, final_hash, file, file_sha256, archived_at, archived_by)
     VALUES (@period, @firstId, @lastId, @count, @previousHash, @finalHash, @file, @fileSha256, @archivedAt, @archivedBy)
     ON CONFLICT (period) DO NOTHING`,
  );
  const remove = db.prepare('DELETE FROM access_log WHERE id IN (SELECT id FROM access_log WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?)');
  return {
    liveRange: async () => {
      const r = range.get()!;
      return r.first === null || r.last === null ? undefined : { firstId: r.first, lastId: r.last, count: r.n };
    },
    liveCountFrom: async (firstId) => countFrom.get(firstId)!.n,
    firstIdAtOrAfter: async (instant, fromId) => atOrAfter.get(fromId, instant)?.first ?? undefined,
    async *entries(firstId, lastId): AsyncIterable<LoggedAccess> {
      for (let from = firstId; from <= lastId;) {
        const rows = page.all(from, lastId, PAGE);
        for (const row of rows) yield toEntry(row);
        if (rows.length < PAGE) return;
        from = rows.at(-1)!.id + 1;
      }
    },
    archives: async () => all.all().map(toRecord),
    async recordArchive(record) {
      insert.run(record);
      while (remove.run(record.firstId, record.lastId, DELETE_BATCH).changes > 0) await new Promise((resolve) => setImmediate(resolve));
    },
    compact: async () => {
      db.exec('VACUUM');
      // On WAL, VACUUM writes the new file through the log: the file shrinks once the log is checkpointed into it.
      db.pragma('wal_checkpoint(TRUNCATE)');
      return 'compacted the live access log (VACUUM)';
    },
    close: () => db.close(),
  };
};
