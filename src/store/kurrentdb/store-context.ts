import { StoreUnavailable } from '../port.ts';
import { sleep } from './backoff.ts';
import type { Engine } from './engine-client.ts';
import { translateEngineError } from './engine-errors.ts';
import { LedgerDamaged, PositionIndexDiverged, type PositionIndexer } from './position-indexer.ts';
import type { IndexEntry, PositionIndex } from './sqlite/position-index.ts';

/** What the parts of the KurrentDB store share: the engine, the local position index, and how to talk about failures. */
export interface StoreContext extends Engine {
  index: PositionIndex;
  indexer: PositionIndexer;
  /** Events per engine read (default 500). */
  pageSize: number;
  /** How long an append waits for its own events to be indexed before giving up (default 10 s). */
  indexWaitMs: number;
}

/** Runs an engine call; its failures become the port's errors (StoreUnavailable for an engine that cannot answer). */
export const engineCall = async <T>(ctx: StoreContext, doing: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw translateEngineError(error, ctx.address, doing);
  }
};

/**
 * Catches the index up with the engine. A damaged or diverged ledger makes the store unable to
 * serve at all, which callers (and the HTTP layer, as 503) see as the store being unavailable,
 * with the damage named in the message and kept as the cause.
 */
export const catchUp = async (ctx: StoreContext): Promise<bigint> => {
  try {
    return await ctx.indexer.catchUp();
  } catch (error) {
    if (error instanceof LedgerDamaged || error instanceof PositionIndexDiverged) {
      throw new StoreUnavailable(`the ledger in KurrentDB at ${ctx.address} cannot be served: ${error.message}`, error);
    }
    throw translateEngineError(error, ctx.address, 'reading the ledger');
  }
};

/**
 * The index entries of events known to be committed (just appended, or named by a marker).
 * Usually one catch-up finds them; a node that serves reads a moment behind gets a few more
 * tries before the wait gives up.
 */
export const awaitIndexed = async (ctx: StoreContext, eventIds: string[]): Promise<IndexEntry[]> => {
  const deadline = Date.now() + ctx.indexWaitMs;
  for (let attempt = 0; ; attempt++) {
    const entries = eventIds.map((id) => ctx.index.byEventId(id));
    if (entries.every((e) => e !== undefined)) return entries as IndexEntry[];
    if (Date.now() > deadline) {
      throw new StoreUnavailable(
        `events ${eventIds.filter((_, i) => !entries[i]).join(', ')} are committed in KurrentDB at ${ctx.address} ` +
          `but did not become readable within ${ctx.indexWaitMs} ms`,
      );
    }
    if (attempt > 0) await sleep(Math.min(50 * attempt, 500));
    await catchUp(ctx);
  }
};
