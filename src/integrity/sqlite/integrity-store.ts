import { cpus } from 'node:os';
import type Database from 'better-sqlite3';
import { PARALLEL_FROM, planSlices } from '../chain-check.ts';
import type { IntegrityStore, StreamHead, VerificationView } from '../port.ts';
import { verifyChainRange } from '../verify-chains.ts';
import { sqliteChainRows } from './chain-rows.ts';
import { checkSlicesInWorkers } from './chain-workers.ts';
import { runBackendChecks } from './backend-checks.ts';
import { storageFailureOf } from './storage-check.ts';
import { backendChecksInWorker } from './backend-check-thread.ts';
import { readCheckpoints, sqliteCheckpointStore } from './checkpoint-store.ts';
import { sqliteMerkleNodeCache } from './merkle-node-cache.ts';
import { merkleNodeOverlay } from '../merkle-node-overlay.ts';
import { openForReading } from '../../files/sqlite/read-only-open.ts';

const HEADS_PAGE = 1000;

/**
 * The integrity port over one SQLite ledger file, on a connection of its own (opened and
 * migrated by the backend, closed here), so the event store's write path is untouched; verify
 * reads a further read-only connection in one read transaction, and on a large ledger worker
 * threads read the file themselves.
 */
export const createSqliteIntegrityStore = (options: {
  db: Database.Database;
  file: string;
  /** Nothing is written to the file: the Merkle nodes the tree index works out stay in memory (merkle-node-overlay.ts). */
  readOnly?: boolean;
}): IntegrityStore => {
  const { db, file } = options;
  const s = {
    size: db.prepare<[], { n: bigint }>('SELECT coalesce(max(position) + 1, 0) AS n FROM events').safeIntegers(true),
    leaves: db
      .prepare<[bigint, number], { position: bigint; hash: string | null }>(
        'SELECT position, hash FROM events WHERE position >= ? ORDER BY position LIMIT ?',
      )
      .safeIntegers(true),
    locate: db
      .prepare<[string], { position: bigint; hash: string }>('SELECT position, hash FROM events WHERE event_id = ?')
      .safeIntegers(true),
    head: db
      .prepare<[string], StreamHead>('SELECT stream, revision, hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1')
      .safeIntegers(true),
    // The last revision of each stream after `after`, one page at a time, by the (stream, revision) index.
    heads: db
      .prepare<[string, number], StreamHead>(
        `SELECT e.stream, e.revision, e.hash FROM events e
         JOIN (SELECT stream, max(revision) AS revision FROM events WHERE stream > ? GROUP BY stream ORDER BY stream LIMIT ?) last
           ON e.stream = last.stream AND e.revision = last.revision
         ORDER BY e.stream`,
      )
      .safeIntegers(true),
  };

  const verificationView = (read: Database.Database): VerificationView => ({
    size: read.prepare<[], { n: bigint }>('SELECT coalesce(max(position) + 1, 0) AS n FROM events').safeIntegers(true).get()!.n,
    checkpoints: readCheckpoints(read),
    streamCount: async () =>
      read.prepare<[], { n: bigint }>('SELECT count(*) AS n FROM (SELECT DISTINCT stream FROM events)').safeIntegers(true).get()!.n,
    async checkChains(request) {
      const total = Number(request.size);
      const sizes = request.checkpointSizes.map(Number);
      const workers = request.workers ?? (total >= PARALLEL_FROM ? Math.min(4, cpus().length) : 1);
      const slices = planSlices(total, workers);
      if (workers > 1) return checkSlicesInWorkers(file, slices, workers, sizes, total, request.onProgress);
      const rows = sqliteChainRows(read);
      const results = [];
      for (const slice of slices) {
        const result = await verifyChainRange(rows, slice.from, slice.to, sizes, (checked) => request.onProgress?.(checked, total));
        results.push({ ...result, from: BigInt(slice.from) });
      }
      return results;
    },
    storageFailure: (error) => storageFailureOf(error, file),
    async backendChecks({ size, storage }) {
      // A large file's integrity_check takes seconds: off this thread, so a serving process keeps answering.
      if (Number(size) >= PARALLEL_FROM) return backendChecksInWorker(file, Number(size), storage);
      return runBackendChecks(read, file, Number(size), storage);
    },
  });

  return {
    ledgerSize: async () => s.size.get()!.n,
    leafHashes: async (from, limit) => s.leaves.all(from, limit),
    locateEvent: async (eventId) => s.locate.get(eventId),
    streamHead: async (stream) => s.head.get(stream),
    async *streamHeads() {
      let after = '';
      for (;;) {
        const page = s.heads.all(after, HEADS_PAGE);
        yield* page;
        if (page.length < HEADS_PAGE) return;
        after = page.at(-1)!.stream;
      }
    },
    checkpoints: sqliteCheckpointStore(db),
    merkleNodes: options.readOnly ? merkleNodeOverlay(sqliteMerkleNodeCache(db)) : sqliteMerkleNodeCache(db),
    async verification(check) {
      // Read-only, creating nothing beside the file (a read-only copy has no room for a -wal or -shm).
      const read = openForReading(file);
      read.exec('BEGIN');
      try {
        return await check(verificationView(read));
      } finally {
        try {
          if (read.inTransaction) read.exec('COMMIT');
        } catch {
          // A read transaction wrote nothing; a damaged file may refuse even its end, after the check has named the damage.
        }
        read.close();
      }
    },
    close: async () => {
      db.close();
    },
  };
};
