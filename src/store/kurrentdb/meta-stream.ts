import { FORWARDS, START, type EventData, type RecordedEvent } from '@kurrent/kurrentdb-client';
import { backoffDelay, sleep } from './backoff.ts';
import type { EngineClient } from './engine-client.ts';
import { isStreamNotFound, translateEngineError, wrongExpectedVersion } from './engine-errors.ts';
import { freshRuns } from './fresh-runs.ts';

export interface MetaStreamOptions<T> {
  client: EngineClient;
  /** The engine's address, for errors. */
  address: string;
  /** The stream, e.g. `ledger-meta:checkpoints`. */
  stream: string;
  /** One item per event; throws for an event that does not belong (damage is named, not skipped). */
  decode: (record: RecordedEvent) => T;
  pageSize?: number;
}

/** What an update decides after seeing the stream as it is: events to append (none: nothing to do) and its answer. */
export interface Decision<R> {
  events: EventData[];
  result: R;
}

const MAX_RACES = 20;

/**
 * A stream of the ledger's shared state (checkpoints, API keys, learned aliases) kept in the
 * engine and mirrored in this instance's memory. Reads go to the leader, so a refresh sees
 * every write any instance has been answered for. Updates append with the exact revision the
 * decision was made on: when another instance wrote first, the stream is read again and the
 * decision made again, so two instances can never both act on the same stale view.
 */
export const openMetaStream = <T>(options: MetaStreamOptions<T>) => {
  const { client, address, stream, decode, pageSize = 500 } = options;
  const items: T[] = [];
  let revision: bigint | undefined;

  const readNew = async (): Promise<void> => {
    for (;;) {
      let read = 0;
      try {
        const from = revision === undefined ? START : revision + 1n;
        for await (const resolved of client.readStream(stream, {
          fromRevision: from,
          maxCount: pageSize,
          direction: FORWARDS,
          requiresLeader: true,
        })) {
          const record = resolved.event;
          read++;
          if (!record) continue;
          items.push(decode(record));
          revision = record.revision;
        }
      } catch (error) {
        if (isStreamNotFound(error)) return;
        throw translateEngineError(error, address, `a read of ${stream}`);
      }
      if (read < pageSize) return;
    }
  };
  const refreshes = freshRuns(readNew);

  return {
    stream,
    /** Reads what was appended since the last read (by any instance); callers asking together share one read. */
    refresh: (): Promise<void> => refreshes.run(),
    /** The items as last read, in stream order. */
    items: (): readonly T[] => items,
    /** The stream's last revision as last read; undefined when it did not exist. */
    revision: (): bigint | undefined => revision,

    /**
     * Reads the stream, lets `decide` choose what to append, and appends it with the exact
     * revision it was decided on; decides again on the newer stream if another instance
     * wrote first. Resolves with the decision's result once its events are durable.
     */
    async update<R>(decide: (current: readonly T[]) => Decision<R>): Promise<R> {
      for (let race = 0; ; race++) {
        await refreshes.run();
        const decision = decide(items);
        if (decision.events.length === 0) return decision.result;
        try {
          await client.multiStreamAppend([{ streamName: stream, events: decision.events, expectedState: revision ?? 'no_stream' }]);
        } catch (error) {
          if (!wrongExpectedVersion(error) || race >= MAX_RACES) throw translateEngineError(error, address, `an append to ${stream}`);
          await sleep(backoffDelay(race, 5, 200));
          continue;
        }
        await refreshes.run();
        return decision.result;
      }
    },

    whenIdle: (): Promise<void> => refreshes.whenIdle(),
  };
};
export type MetaStream<T> = ReturnType<typeof openMetaStream<T>>;
