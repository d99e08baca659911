import { StoreUnavailable, type AppendRequest, type AppendResult } from '../port.ts';
import type { Statements } from './statements.ts';

interface Pending {
  request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

export interface WriterStats {
  /** Write transactions committed: with group commit, far fewer than appends. */
  transactions: number;
  /** Append requests settled (fulfilled or rejected). */
  requests: number;
  largestBatch: number;
}

/** Thrown out of a savepoint when SQLite has dropped the whole transaction (e.g. disk full). */
class BatchAborted extends Error {
  constructor(readonly reason: unknown) {
    super('the write transaction was aborted', { cause: reason });
  }
}

/**
 * Group commit. fsync is the cost of a durable write, so appends that arrive while the
 * event loop is busy share one BEGIN IMMEDIATE … COMMIT (one fsync). Each request runs
 * in its own savepoint so a failing one is rolled back alone; promises settle only after
 * COMMIT has returned, so an acknowledged append is on disk.
 */
/**
 * Another process sharing the ledger file held its write lock past the busy timeout (a long
 * write, a backup's copy): nothing of the batch was written, and the same request will succeed
 * once the lock is let go, so it is the store being unavailable for now (503 with Retry-After),
 * not a failure of the request (500).
 */
const lockedOut = (error: unknown): unknown =>
  // SQLITE_BUSY and its extended codes (SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT).
  String((error as { code?: unknown } | null)?.code).startsWith('SQLITE_BUSY')
    ? new StoreUnavailable('the ledger file is locked by another process past the busy timeout', error)
    : error;

export class GroupCommitWriter {
  readonly stats: WriterStats = { transactions: 0, requests: 0, largestBatch: 0 };
  #queue: Pending[] = [];
  #scheduled = false;
  #idleWaiters: Array<() => void> = [];

  constructor(
    private readonly s: Statements,
    private readonly apply: (request: AppendRequest) => AppendResult,
    /** Called after a commit that wrote events, with the new head position. */
    private readonly onCommitted: (headPosition: bigint) => void,
    private readonly maxBatch: number,
    /** Called for each append that wrote, right after COMMIT and before any caller hears of it. */
    private readonly onApplied: (result: AppendResult) => void = () => {},
    /** Called after each batch with how many append requests shared its transaction (for metrics). */
    private readonly onBatch: (requests: number) => void = () => {},
  ) {}

  enqueue(request: AppendRequest): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once every queued append has been settled. */
  whenIdle(): Promise<void> {
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: lets every caller woken in this turn join the batch.
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue.splice(0, this.maxBatch);
    const outcomes = this.#commit(batch);
    this.stats.requests += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    this.onBatch(batch.length);
    let head: bigint | undefined;
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (!outcome.ok) return pending.reject(outcome.error);
      if (!outcome.result.replayed) this.onApplied(outcome.result);
      pending.resolve(outcome.result);
      if (!outcome.result.replayed && (head === undefined || outcome.result.lastPosition > head)) {
        head = outcome.result.lastPosition;
      }
    });
    if (head !== undefined) this.onCommitted(head);
    this.#schedule();
    if (this.#queue.length === 0) this.#idleWaiters.splice(0).forEach((wake) => wake());
  }

  #commit(batch: Pending[]): Outcome[] {
    const s = this.s;
    try {
      s.begin.run();
    } catch (failure) {
      // E.g. SQLITE_BUSY: another process held the write lock past busy_timeout.
      const error = lockedOut(failure);
      return batch.map(() => ({ ok: false, error }));
    }
    try {
      const outcomes = batch.map((pending) => this.#applyInSavepoint(pending.request));
      s.commit.run();
      this.stats.transactions++;
      return outcomes;
    } catch (failure) {
      // COMMIT failed or the transaction was lost: nothing in this batch is durable.
      const error = lockedOut(failure instanceof BatchAborted ? failure.reason : failure);
      try {
        if (s.begin.database.inTransaction) s.rollback.run();
      } catch {
        // Already rolled back by SQLite; the original error is the one to report.
      }
      return batch.map(() => ({ ok: false, error }));
    }
  }

  #applyInSavepoint(request: AppendRequest): Outcome {
    const s = this.s;
    s.savepoint.run();
    try {
      const result = this.apply(request);
      s.release.run();
      return { ok: true, result };
    } catch (error) {
      if (!s.begin.database.inTransaction) throw new BatchAborted(error);
      try {
        s.rollbackTo.run();
        s.release.run();
      } catch (rollbackError) {
        throw new BatchAborted(rollbackError);
      }
      return { ok: false, error };
    }
  }
}
