import { StoreUnavailable } from '../../src/store/port.ts';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { WrongExpectedRevision, type ExpectedRevision } from '../../src/store/port.ts';
import { collect } from '../support/collect.ts';
import { makeEvent, makeEvents, uniqueId } from '../support/events.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';

const one = (stream: string, expectedRevision: ExpectedRevision = 'any', commandId = uniqueId('c')) => ({
  stream,
  events: makeEvents(1, commandId),
  expectedRevision,
  commandId,
});

describe('SQLite group commit', () => {
  const { open, file } = useSqliteStores();

  it('commits 100 concurrent appends in far fewer than 100 transactions', async () => {
    const store = open();
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.append(one(`plan-${i % 7}`))));
    const { transactions, requests, largestBatch } = store.stats();
    expect(requests).toBe(100);
    expect(transactions).toBeLessThanOrEqual(5);
    expect(largestBatch).toBeGreaterThan(20);
    expect(await store.count()).toBe(100);
  });

  it('caps a batch at maxBatch requests', async () => {
    const store = open({ maxBatch: 10 });
    await Promise.all(Array.from({ length: 35 }, () => store.append(one(uniqueId('s')))));
    expect(store.stats()).toMatchObject({ transactions: 4, largestBatch: 10 });
  });

  it('rolls back only the failing requests of a batch, and positions stay gap-free', async () => {
    const store = open();
    await store.append(one('existing', 'noStream'));
    const taken = makeEvent();
    await store.append({ stream: 'other', events: [taken], expectedRevision: 'any', commandId: 'c-taken' });
    const before = store.stats().transactions;

    // All queued in the same turn, so all land in one transaction.
    const outcomes = await Promise.allSettled([
      store.append(one('a', 'noStream')),
      store.append(one('existing', 'noStream')), // wrong revision
      store.append({ stream: 'b', events: makeEvents(3), expectedRevision: 'any', commandId: uniqueId('c') }),
      store.append({ stream: 'b', events: [makeEvent(), { ...taken }], expectedRevision: 'any', commandId: uniqueId('c') }), // duplicate event id
      store.append(one('existing', 5n)), // wrong revision
      store.append(one('a', 0n)),
    ]);
    expect(store.stats().transactions - before).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevision);
    expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });

    const all = await collect(store.readAll());
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: all.length }, (_, i) => BigInt(i)));
    expect(all).toHaveLength(2 + 1 + 3 + 1);
    expect((await collect(store.readStream('b'))).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    expect((await collect(store.readStream('a'))).map((e) => e.revision)).toEqual([0n, 1n]);
  });

  it('treats a second request with the same commandId in one batch as a replay of the first', async () => {
    const store = open();
    const [first, second] = await Promise.all([
      store.append(one('s', 'noStream', 'same-command')),
      store.append(one('s', 'noStream', 'same-command')),
    ]);
    expect(store.stats().transactions).toBe(1);
    expect(first!.replayed).toBe(false);
    expect(second).toEqual({ ...first, replayed: true });
    expect(await store.count()).toBe(1);
  });

  it('rejects a whole batch as the store unavailable when it cannot get the write lock, and carries on afterwards', async () => {
    const store = open({ busyTimeoutMs: 50 });
    await store.append(one('s'));
    const blocker = new Database(file());
    blocker.exec('BEGIN IMMEDIATE');
    const outcomes = await Promise.allSettled([store.append(one('s')), store.append(one('t'))]);
    blocker.exec('ROLLBACK');
    blocker.close();
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { cause: { code: 'SQLITE_BUSY' } } });
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailable);
    }
    expect((await store.append(one('s'))).firstPosition).toBe(1n);
  });

  it('notifies subscribers after the appenders have their results', async () => {
    const store = open();
    let acknowledged = false;
    const heads: Array<{ head: bigint; acknowledged: boolean }> = [];
    store.subscribe((head) => heads.push({ head, acknowledged }));
    const pending = store.append({ stream: 's', events: makeEvents(2), expectedRevision: 'any', commandId: 'c' });
    void pending.then(() => (acknowledged = true));
    await pending;
    await new Promise((resolve) => setImmediate(resolve));
    expect(heads).toEqual([{ head: 1n, acknowledged: true }]);
  });

  it('a throwing listener does not disturb other listeners or the writer', async () => {
    const errors: unknown[] = [];
    const store = open({ onListenerError: (error) => errors.push(error) });
    const heads: bigint[] = [];
    store.subscribe(() => {
      throw new Error('listener bug');
    });
    store.subscribe((head) => heads.push(head));
    await store.append(one('s'));
    await store.append(one('s'));
    await store.close();
    expect(heads).toEqual([0n, 1n]);
    expect(errors).toHaveLength(2);
  });
});
