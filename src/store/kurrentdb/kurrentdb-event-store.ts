import { Listeners } from '../listeners.ts';
import { validateRequest } from '../append-rules.ts';
import { StoreClosed, type AppendResult, type EventStore, type ReadAllOptions, type ReadStreamOptions } from '../port.ts';
import type { EngineClient } from './engine-client.ts';
import { createAppender } from './kurrentdb-append.ts';
import { lastRevision, markerResult, readAllPages, readMarker, readStreamPages } from './kurrentdb-reads.ts';
import { indexProgress, lastLedgerCommit } from './index-progress.ts';
import { followLedger } from './ledger-follower.ts';
import { createPositionIndexer } from './position-indexer.ts';
import { catchUp, type StoreContext } from './store-context.ts';
import { openPositionIndex } from './sqlite/position-index.ts';
import { ledgerNames, type LedgerNames } from './stream-names.ts';
import { createClockWatch, type ClockBehind } from '../ledger-time.ts';
import { readRevisionsInRuns } from '../revision-runs.ts';

export interface KurrentEventStoreOptions {
  client: EngineClient;
  /** The engine's address for messages, without credentials (see connection.ts). */
  address: string;
  /** Which ledger in the engine (default: the one under `ledger:`); see stream-names.ts. */
  names?: LedgerNames;
  /** This instance's position index file: local, derived, rebuilt from the engine when deleted. */
  indexFile: string;
  /** Dispose of the client on close (default true). */
  ownsClient?: boolean;
  /** Events per engine read (default 500). */
  pageSize?: number;
  /** Where errors thrown by subscribe() listeners go (default console.error). */
  onListenerError?: (error: unknown) => void;
  /** The `$all` subscription failed; it is retried after `retryInMs` (default: console.warn). */
  onFollowError?: (error: unknown, retryInMs: number) => void;
  /** Lines about the index at open: progress while it catches up, when that takes a while, and why it was rebuilt (default: stderr). */
  onIndexProgress?: (line: string) => void;
  /** At most one progress line this often (default 5 s). */
  indexProgressEveryMs?: number;
  /** An append stamped before the ledger's time (this clock behind another instance's, or stepped back): ledger-time.ts. */
  onClockBehind?: (report: ClockBehind) => void;
}

export interface KurrentEventStore extends EventStore {
  readonly address: string;
  readonly indexFile: string;
  /** The engine and the position index, for the backend's other ports on the same ledger (integrity). */
  readonly context: StoreContext;
}

/**
 * The event-store port on KurrentDB. Ledger streams live in the engine under `ledger:`; each
 * command is one multi-stream append with its marker (durable idempotency); dense positions come
 * from a local index of `$all` that this instance keeps and any instance can rebuild. Opening it
 * checks the index against the engine and catches it up, so positions are right from the start.
 */
export const openKurrentEventStore = async (options: KurrentEventStoreOptions): Promise<KurrentEventStore> => {
  const names = options.names ?? ledgerNames();
  const index = openPositionIndex(options.indexFile);
  const listeners = new Listeners(options.onListenerError ?? ((error) => console.error('event-store listener failed', error)));
  let progress: ReturnType<typeof indexProgress> | undefined;
  const indexer = createPositionIndexer({
    client: options.client,
    names,
    index,
    // setImmediate: listeners run after the appenders waiting on this batch have seen their results.
    onAdvance: (size) => {
      progress?.advanced(size, index.last()?.commit);
      setImmediate(() => listeners.notify(size - 1n));
    },
  });
  const ctx: StoreContext = {
    client: options.client,
    names,
    index,
    indexer,
    address: options.address,
    pageSize: options.pageSize ?? 500,
    indexWaitMs: 10_000,
  };
  try {
    const print = options.onIndexProgress ?? ((line: string) => process.stderr.write(`${line}\n`));
    if (index.rebuiltBecause) print(index.rebuiltBecause);
    if (index.indexedByTime) print(index.indexedByTime);
    const { rebuiltBecause } = await indexer.checkAgainstEngine();
    if (rebuiltBecause) print(rebuiltBecause);
    progress = indexProgress({
      file: options.indexFile,
      address: options.address,
      startSize: index.size(),
      headCommit: await lastLedgerCommit(options.client, names),
      print,
      ...(options.indexProgressEveryMs === undefined ? {} : { everyMs: options.indexProgressEveryMs }),
    });
    progress.done(await catchUp(ctx));
    progress = undefined;
  } catch (error) {
    index.close();
    if (options.ownsClient ?? true) await options.client.dispose();
    throw error;
  }
  const append = createAppender(
    ctx,
    options.onClockBehind ?? createClockWatch({ warn: (message) => process.stderr.write(`ledger: warning: ${message}\n`) }),
  );
  const follower = followLedger({
    client: options.client,
    names,
    from: () => {
      const last = index.last();
      return last && { commit: last.commit, prepare: last.prepare };
    },
    onChange: () => void catchUp(ctx).catch(() => undefined),
    onError:
      options.onFollowError ??
      // One line a retry, whatever the engine said: an outage must not fill the log with stacks.
      ((error, retryInMs) =>
        console.warn(
          `following the ledger in KurrentDB at ${options.address} failed ` +
            `(${error instanceof Error ? error.message.split('\n')[0] : String(error)}); retrying in ${retryInMs} ms`,
        )),
  });

  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;
  const ensureOpen = () => {
    if (closing) throw new StoreClosed();
  };
  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    const settle = () => inFlight.delete(promise);
    promise.then(settle, settle);
    return promise;
  };
  const read = async <T>(query: () => Promise<T>): Promise<T> => {
    ensureOpen();
    return track(query());
  };

  return {
    address: options.address,
    indexFile: options.indexFile,
    context: ctx,
    stampsKept: true,

    async append(request): Promise<AppendResult> {
      ensureOpen();
      validateRequest(request);
      return track(append(request));
    },

    readStream(stream: string, opts: ReadStreamOptions = {}) {
      const limit = opts.limit ?? Number.POSITIVE_INFINITY;
      if (!(limit >= 0)) throw new RangeError(`readStream: limit must be >= 0, got ${limit}`);
      return readStreamPages(ctx, ensureOpen, stream, opts.fromRevision ?? 0n, opts.toPosition, limit);
    },

    // One server read for each run of nearby revisions: each read is a round trip.
    readRevisions(stream: string, revisions: readonly bigint[]) {
      const readStream = (name: string, { fromRevision, limit }: ReadStreamOptions) =>
        readStreamPages(ctx, ensureOpen, name, fromRevision ?? 0n, undefined, limit ?? Number.POSITIVE_INFINITY);
      return readRevisionsInRuns(readStream, stream, revisions);
    },

    readAll(opts: ReadAllOptions = {}) {
      const limit = opts.limit ?? Number.POSITIVE_INFINITY;
      if (!(limit >= 0)) throw new RangeError(`readAll: limit must be >= 0, got ${limit}`);
      return readAllPages(ctx, ensureOpen, opts.fromPosition ?? 0n, limit);
    },

    findCommand: (commandId) =>
      read(async () => {
        const marker = await readMarker(ctx, commandId);
        return marker && markerResult(ctx, marker, true);
      }),
    streamRevision: (stream) => read(() => lastRevision(ctx, stream)),
    headPosition: () =>
      read(async () => {
        const size = await catchUp(ctx);
        return size === 0n ? undefined : size - 1n;
      }),
    count: () => read(async () => Number(await catchUp(ctx))),
    // From the ledger time the local index keeps beside each position (IndexEntry): no round trip to the engine. Another
    // process sharing the index file may have indexed past this one's catch-up: the answer stays within what it saw.
    positionAt: (instant) =>
      read(async () => {
        const size = await catchUp(ctx);
        const found = size === 0n ? undefined : index.lastRecordedBy(instant);
        return found === undefined || found < size ? found : size - 1n;
      }),
    // The ledger time of the last event this process's catch-up saw, as positionAt clamps to it: another process may have
    // indexed further since, and a read named by a later time would include events this one has not read.
    headLedgerTime: () =>
      read(async () => {
        const size = await catchUp(ctx);
        return size === 0n ? undefined : index.at(size - 1n)?.ledgerTime;
      }),

    subscribe: (listener) => listeners.add(listener),

    close(): Promise<void> {
      // Refuse new calls at once, let the ones under way finish, then let go of the engine and the index.
      closing ??= (async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        await follower.stop();
        await indexer.whenIdle();
        // One more turn so notifications of the last batch (setImmediate, FIFO) go out first.
        await new Promise<void>((resolve) => setImmediate(resolve));
        listeners.clear();
        index.close();
        if (options.ownsClient ?? true) await options.client.dispose();
      })();
      return closing;
    },
  };
};
