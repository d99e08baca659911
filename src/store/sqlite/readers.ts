import type { StoredEvent } from '../../../events/envelope.ts';
import { toStoredEvent } from './codec.ts';
import type { Statements } from './statements.ts';

/** Between pages, give the event loop a turn so a long read never starves group commits. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A stream in revision order from fromRevision up to toPosition, at most limit events, one page per query. Only the current
 * page is in memory and no SQLite cursor stays open across an await (better-sqlite3 would refuse other statements).
 */
export async function* readStreamPages(
  s: Statements,
  ensureOpen: () => void,
  stream: string,
  fromRevision: bigint,
  toPosition: bigint | undefined,
  limit: number,
  pageSize: number,
): AsyncGenerator<StoredEvent> {
  let next = fromRevision;
  let remaining = limit;
  while (remaining > 0) {
    ensureOpen();
    const want = Math.min(pageSize, remaining);
    const rows =
      toPosition === undefined
        ? s.readStreamPage.all(stream, next, want)
        : s.readStreamPageUpTo.all({ stream, from: next, to: toPosition, limit: want });
    for (const row of rows) yield toStoredEvent(row);
    remaining -= rows.length;
    // A short page is the end; a read that took all it asked for has nothing to wait for.
    if (rows.length < want || remaining === 0) return;
    next = rows[rows.length - 1]!.revision + 1n;
    await yieldToEventLoop();
  }
}

/** A stream's events at the given revisions (sorted, each once), `pageSize` revisions a query. */
export async function* readRevisionPages(
  s: Statements,
  ensureOpen: () => void,
  stream: string,
  revisions: readonly bigint[],
  pageSize: number,
): AsyncGenerator<StoredEvent> {
  for (let from = 0; from < revisions.length; from += pageSize) {
    if (from > 0) await yieldToEventLoop();
    ensureOpen();
    const page = revisions.slice(from, from + pageSize);
    for (const row of s.readStreamRevisions.all(stream, `[${page.join(',')}]`)) yield toStoredEvent(row);
  }
}

/** The ledger in position order from fromPosition (inclusive), at most limit events. */
export async function* readAllPages(
  s: Statements,
  ensureOpen: () => void,
  fromPosition: bigint,
  limit: number,
  pageSize: number,
): AsyncGenerator<StoredEvent> {
  let next = fromPosition;
  let remaining = limit;
  while (remaining > 0) {
    ensureOpen();
    const want = Math.min(pageSize, remaining);
    const rows = s.readAllPage.all(next, want);
    for (const row of rows) yield toStoredEvent(row);
    remaining -= rows.length;
    if (rows.length < want || remaining === 0) return;
    next = rows[rows.length - 1]!.position + 1n;
    await yieldToEventLoop();
  }
}
