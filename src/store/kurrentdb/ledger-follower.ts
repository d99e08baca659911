import { START, type Position } from '@kurrent/kurrentdb-client';
import { backoffDelay } from './backoff.ts';
import type { EngineClient, EngineSubscription } from './engine-client.ts';
import { ledgerFilter } from './position-indexer.ts';
import type { LedgerNames } from './stream-names.ts';

export interface LedgerFollowerOptions {
  client: EngineClient;
  names: LedgerNames;
  /** Where to follow from: the last indexed event's engine position (undefined: the start of `$all`). */
  from: () => Position | undefined;
  /** A ledger event arrived, or the subscription is back after a gap: time to catch the index up. */
  onChange: () => void;
  /** The subscription failed and is retried after `retryInMs`. */
  onError: (error: unknown, retryInMs: number) => void;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Follows the ledger's part of `$all` (streams with the `ledger:` prefix, so no system events)
 * to learn of appends made through other instances. It only signals: the index reads what
 * is new itself, so a missed or repeated signal costs a read, never an event. When the
 * subscription fails or ends it is opened again after a backoff, from wherever the index then
 * is, and one catch-up covers whatever happened while it was down.
 */
export const followLedger = (options: LedgerFollowerOptions) => {
  const { client, minDelayMs = 250, maxDelayMs = 10_000 } = options;
  let stopped = false;
  let current: EngineSubscription | undefined;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const subscribe = (): void => {
    if (stopped) return;
    const subscription = client.subscribeToAll({ fromPosition: options.from() ?? START, filter: ledgerFilter(options.names) });
    current = subscription;
    let over = false;
    const retry = (error: unknown) => {
      if (over || stopped) return;
      over = true;
      current = undefined;
      subscription.unsubscribe().catch(() => undefined);
      const delay = backoffDelay(failures++, minDelayMs, maxDelayMs);
      options.onError(error, delay);
      timer = setTimeout(() => {
        options.onChange();
        subscribe();
      }, delay);
    };
    subscription.on('data', () => {
      failures = 0;
      options.onChange();
    });
    subscription.on('error', retry);
    subscription.on('end', () => retry(new Error('the engine ended the $all subscription')));
    subscription.on('close', () => retry(new Error('the $all subscription closed')));
  };

  subscribe();
  return {
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await current?.unsubscribe().catch(() => undefined);
      current = undefined;
    },
  };
};
export type LedgerFollower = ReturnType<typeof followLedger>;
