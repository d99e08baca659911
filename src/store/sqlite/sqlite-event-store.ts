import type { StoredEvent } from '../../../events/envelope.ts';
import {
  StoreClosed,
  type AppendDurability,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
} from '../port.ts';
import path from 'node:path';
import { createClockWatch, type ClockBehind } from '../ledger-time.ts';
import { createStorageHealth, type StorageHealth } from '../storage-full.ts';
import { asStorageFull, freeBytesAt } from './storage-errors.ts';
import { applyAppend } from './apply-append.ts';
import { validateRequest } from '../append-rules.ts';
import { decodeResult } from './codec.ts';
import { openConnection, syncToDisk } from './connection.ts';
import { openReadOnlyLedger } from './read-only-ledger.ts';
import { GroupCommitWriter, type WriterStats } from './group-commit.ts';
import { Listeners } from '../listeners.ts';
import { readAllPages, readRevisionPages, readStreamPages } from './readers.ts';
import { sortedRevisions } from '../revision-runs.ts';
import { createOwnStreamHeads } from './own-stream-heads.ts';
import { migrate, reportUpgrade, type OnUpgrade } from './schema.ts';
import { keptProbes, searchPositionAt } from '../position-search.ts';
import { prepareStatements } from './statements.ts';
import { watchOthersCommits } from './others-commits.ts';

export interface SqliteEventStoreOptions {
  /** Path of the ledger file; created and migrated if new. */
  file: string;
  /** How long to wait for another process's write lock before failing a batch (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Most append requests in one transaction (default 500). */
  maxBatch?: number;
  /** Rows per read query in readStream/readAll (default 500). */
  pageSize?: number;
  /** Where errors thrown by subscribe() listeners go (default console.error). */
  onListenerError?: (error: unknown) => void;
  /**
   * Told when an append's clock read earlier than the ledger's last recordedAt and its
   * events were recorded at the ledger's time (default: a warning on stderr, at most one a
   * minute, when the gap passes a second).
   */
  onClockBehind?: (report: ClockBehind) => void;
  /** Told when the file, written by an earlier release, is brought up to this one's schema (default: two lines on stderr). */
  onUpgrade?: OnUpgrade;
  /** Told after each group commit how many append requests shared its transaction (the metrics' batch size). */
  onBatch?: (requests: number) => void;
  /** 'at-close': commits are not fsynced one by one; close() syncs the files (see AppendDurability). */
  durability?: AppendDurability;
  /**
   * Opens the file for reading only (read-only-ledger.ts): nothing is created, migrated or put back, and an append fails.
   * For a check that must not change what it checks (`ledger verify`).
   */
  readOnly?: boolean;
  /**
   * How often, while anyone subscribes, the store looks for appends committed by other
   * processes sharing the ledger file (default 250 ms): this process's own commits notify at once.
   */
  othersPollMs?: number;
}

export interface SqliteEventStore extends EventStore {
  readonly file: string;
  /** Whether appends can be written now; false after one failed for lack of disk space, until there is room again. */
  storageHealth(): StorageHealth;
  /** Group-commit counters, for tests and the bench. */
  stats(): WriterStats;
}

/** The binary search over positions, each probe two columns of one event, kept: searches pass the same middles first. */
const searchOverPositions = (statements: ReturnType<typeof prepareStatements>, ensureOpen: () => void) => {
  const probes = keptProbes((position) => {
    ensureOpen();
    return statements.probeFrom.get(position);
  });
  return (instant: string) => searchPositionAt(statements.headPosition.get()?.position, instant, probes);
};

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
};

/** A read past the end of a stream: nothing, without a query. */
async function* noEvents(): AsyncGenerator<StoredEvent> {}

export const openSqliteEventStore = (options: SqliteEventStoreOptions): SqliteEventStore => {
  const maxBatch = positiveInteger('maxBatch', options.maxBatch ?? 500);
  const pageSize = positiveInteger('pageSize', options.pageSize ?? 500);
  const db = (() => {
    if (options.readOnly) return openReadOnlyLedger(options.file, options.busyTimeoutMs ?? 5000);
    try {
      return openConnection(options.file, options.busyTimeoutMs ?? 5000, options.durability);
    } catch (error) {
      throw asStorageFull(error, options.file) ?? error;
    }
  })();
  const statements = (() => {
    try {
      if (!options.readOnly) migrate(db, options.onUpgrade ?? reportUpgrade(options.file));
      return prepareStatements(db);
    } catch (error) {
      db.close();
      throw asStorageFull(error, options.file) ?? error;
    }
  })();
  const health = createStorageHealth({ freeBytes: () => freeBytesAt(path.dirname(options.file)) });
  const onListenerError = options.onListenerError ?? ((error: unknown) => console.error('event-store listener failed', error));
  const listeners = new Listeners(onListenerError);
  const ownHeads = createOwnStreamHeads(db);
  const onClockBehind =
    options.onClockBehind ?? createClockWatch({ warn: (message) => process.stderr.write(`ledger: warning: ${message}\n`) });
  const writer = new GroupCommitWriter(
    statements,
    (request) => applyAppend(statements, request, onClockBehind),
    // setImmediate: listeners run after every appender's continuation has seen its result.
    (head) => setImmediate(() => listeners.notify(head)),
    maxBatch,
    (result) => ownHeads.committed(result.stream, result.nextExpectedRevision),
    options.onBatch,
  );
  let closing: Promise<void> | undefined;
  const othersCommits = watchOthersCommits(
    db,
    options.othersPollMs ?? 250,
    () => {
      if (closing) return;
      const head = statements.headPosition.get()?.position;
      if (head !== undefined) listeners.notify(head);
    },
    onListenerError,
  );
  const ensureOpen = () => {
    if (closing) throw new StoreClosed();
  };
  // Read methods are async on the port (KurrentDB needs it); here they run one indexed query.
  const read = async <T>(query: () => T): Promise<T> => {
    ensureOpen();
    return query();
  };

  // recordedAt is the ledger time, which never decreases along the ledger: the last event stamped by the instant ends what
  // was recorded by then, found in the index by ledger time. A file written before ledger time was kept, whose clock once
  // stepped back, holds a stretch where it does decrease: there the binary search over positions answers, whose answer
  // (a prefix still) never goes back as the instant goes on, as the index's could (schema.ts, migration 4).
  const positionAt =
    statements.ledgerTimeOutOfOrder.get() === undefined
      ? async (instant: string) => statements.lastRecordedBy.get(instant)?.position
      : searchOverPositions(statements, ensureOpen);

  return {
    file: options.file,
    stats: () => ({ ...writer.stats }),

    async append(request: AppendRequest): Promise<AppendResult> {
      ensureOpen();
      validateRequest(request);
      try {
        const result = await writer.enqueue(request);
        if (!result.replayed) health.wrote();
        return result;
      } catch (error) {
        const full = asStorageFull(error, options.file);
        if (!full) throw error;
        health.full(full);
        throw full;
      }
    },
    storageHealth: () => health.current(),

    readStream(stream: string, opts: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
      const fromRevision = opts.fromRevision ?? 0n;
      const limit = opts.limit ?? Number.POSITIVE_INFINITY;
      if (!(limit >= 0)) throw new RangeError(`readStream: limit must be >= 0, got ${limit}`);
      if (!closing && ownHeads.endsBefore(stream, fromRevision)) return noEvents();
      return readStreamPages(statements, ensureOpen, stream, fromRevision, opts.toPosition, limit, pageSize);
    },

    readRevisions(stream: string, revisions: readonly bigint[]): AsyncIterable<StoredEvent> {
      return readRevisionPages(statements, ensureOpen, stream, sortedRevisions(revisions), pageSize);
    },

    readAll(opts: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
      const limit = opts.limit ?? Number.POSITIVE_INFINITY;
      if (!(limit >= 0)) throw new RangeError(`readAll: limit must be >= 0, got ${limit}`);
      return readAllPages(statements, ensureOpen, opts.fromPosition ?? 0n, limit, pageSize);
    },

    findCommand: (commandId) =>
      read(() => {
        const row = statements.findCommand.get(commandId);
        return row && decodeResult(row.result);
      }),
    streamRevision: (stream) => read(() => statements.streamRevision.get(stream)?.revision),
    headPosition: () => read(() => statements.headPosition.get()?.position),
    positionAt: async (instant) => {
      ensureOpen();
      return positionAt(instant);
    },
    // recordedAt is the ledger time: an instant at or after the head's reads the whole ledger.
    headLedgerTime: () => read(() => statements.ledgerHead.get()?.recordedAt),
    count: () => read(() => statements.count.get()!.n),

    subscribe: (listener) => {
      othersCommits.start();
      return listeners.add(listener);
    },

    close(): Promise<void> {
      // Refuse new appends at once, let queued ones commit, then release the file.
      closing ??= writer
        .whenIdle()
        // One more turn so notifications of the last commit (setImmediate, FIFO) go out first.
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => {
          othersCommits.stop();
          listeners.clear();
          if (options.durability === 'at-close') syncToDisk(options.file);
          db.close();
        });
      return closing;
    },
  };
};
