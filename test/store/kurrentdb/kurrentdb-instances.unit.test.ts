import { describe, expect, it } from 'vitest';
import { StoreClosed, StoreUnavailable } from '../../../src/store/port.ts';
import { collect } from '../../support/collect.ts';
import { makeEvents, uniqueId } from '../../support/events.ts';
import { useStandInStores } from './stand-in/use-stand-in-stores.ts';

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);

/** Resolves with the first head a store's subscribers see at or after `position`. */
const headReaching = (store: { subscribe: (l: (head: bigint) => void) => () => void }, position: bigint) =>
  new Promise<bigint>((resolve) => {
    const stop = store.subscribe((head) => {
      if (head >= position) {
        stop();
        resolve(head);
      }
    });
  });

describe('KurrentDB adapter instances on one engine (in-process stand-in, not KurrentDB)', () => {
  const stores = useStandInStores();
  const one = (stream: string, expectedRevision: 'any' | 'noStream' | bigint = 'any', commandId = uniqueId('c')) => ({
    stream,
    events: makeEvents(1, commandId),
    expectedRevision,
    commandId,
  });

  it('a write through one instance is read through another at the same position, and wakes its subscribers', async () => {
    const a = await stores.open();
    const b = await stores.open();
    const woken = headReaching(b, 1n);
    await a.append(one('plan-a', 'noStream'));
    const written = await a.append(one('plan-b', 'noStream'));
    expect(await within(woken, 5000, 'the other instance to hear of the write')).toBe(1n);
    const onB = await collect(b.readAll({ fromPosition: written.firstPosition }));
    expect(onB.map((e) => [e.position, e.eventId])).toEqual([[1n, written.eventIds[0]]]);
    // An expectation checked through B sees A's write.
    await expect(b.append(one('plan-b', 'noStream'))).rejects.toMatchObject({ actual: 0n });
    expect((await b.append(one('plan-b', 0n))).firstPosition).toBe(2n);
  });

  it('a command applied through one instance is replayed through another, not applied twice', async () => {
    const a = await stores.open();
    const b = await stores.open();
    const original = await a.append({ ...one('plan-a', 'noStream', 'cmd-shared'), requestFingerprint: 'a'.repeat(64) });
    const again = await b.append({ ...one('plan-a', 'noStream', 'cmd-shared'), requestFingerprint: 'a'.repeat(64) });
    expect(again).toEqual({ ...original, replayed: true });
    expect(await b.count()).toBe(1);
  });

  it('an engine that cannot be reached makes calls fail as StoreUnavailable naming it, and they work again when it is back', async () => {
    const store = await stores.open();
    await store.append(one('plan-a'));
    stores.engine().goOffline();
    const failed = await store.append(one('plan-a')).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StoreUnavailable);
    expect((failed as Error).message).toMatch(/KurrentDB at stand-in:2113/);
    await expect(store.count()).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(collect(store.readStream('plan-a'))).rejects.toBeInstanceOf(StoreUnavailable);
    stores.engine().goOnline();
    await store.append(one('plan-a'));
    expect(await store.count()).toBe(2);
  }, 20_000);

  it('follows the ledger again after losing its subscription, and hears of writes made meanwhile', async () => {
    const a = await stores.open();
    const b = await stores.open('b.db', { onFollowError: () => undefined });
    stores.engine().goOffline();
    stores.engine().goOnline();
    const woken = headReaching(b, 0n);
    await a.append(one('plan-a'));
    expect(await within(woken, 10_000, 'the resubscribed instance to hear of the write')).toBe(0n);
  }, 20_000);

  it('a write whose answer was lost is resent and answered as written once, not replayed and not doubled', async () => {
    const store = await stores.open();
    stores.engine().loseAnswers(1);
    const result = await store.append(one('plan-a', 'noStream'));
    expect(result.replayed).toBe(false);
    expect(await store.count()).toBe(1);
    expect(await collect(store.readStream('plan-a'))).toHaveLength(1);
  });

  it('refuses calls once closed', async () => {
    const store = await stores.open();
    await store.close();
    await expect(store.append(one('plan-a'))).rejects.toBeInstanceOf(StoreClosed);
    await expect(store.findCommand('x')).rejects.toBeInstanceOf(StoreClosed);
  });
});
