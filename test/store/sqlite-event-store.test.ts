import { describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { collect } from '../support/collect.ts';
import { makeEvents, uniqueId } from '../support/events.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { describeEventStoreContract } from './contract.ts';

describeEventStoreContract('SQLite', async () => {
  const dir = makeTempDir();
  const file = dir.file('ledger.db');
  return {
    store: openSqliteEventStore({ file }),
    reopen: async () => openSqliteEventStore({ file }),
    dispose: async () => dir.remove(),
  };
});

describe('SQLite event store', () => {
  const { open } = useSqliteStores();
  const one = (stream: string, expectedRevision: 'any' | 'noStream' | bigint = 'any', commandId = uniqueId('c')) => ({
    stream,
    events: makeEvents(1, commandId),
    expectedRevision,
    commandId,
  });

  it('keeps idempotency across a restart', async () => {
    const store = open();
    const original = await store.append(one('plan-1', 'noStream', 'cmd-restart'));
    await store.close();
    const reopened = open();
    const again = await reopened.append(one('plan-1', 'noStream', 'cmd-restart'));
    expect(again).toEqual({ ...original, replayed: true });
    expect(await reopened.count()).toBe(1);
  });

  it('a read past the end of a stream it wrote itself sees what another process appends after that', async () => {
    const a = open();
    const b = open();
    await a.append({ stream: 'plan-x', events: makeEvents(3), expectedRevision: 'noStream', commandId: uniqueId('c') });
    // Answered from what a committed itself: nothing after revision 2, and everything before it.
    expect(await collect(a.readStream('plan-x', { fromRevision: 3n }))).toEqual([]);
    expect((await collect(a.readStream('plan-x', { fromRevision: 1n }))).map((e) => e.revision)).toEqual([1n, 2n]);
    await b.append({ stream: 'plan-x', events: makeEvents(2), expectedRevision: 2n, commandId: uniqueId('c') });
    expect((await collect(a.readStream('plan-x', { fromRevision: 3n }))).map((e) => e.revision)).toEqual([3n, 4n]);
    // And after a's own next append, on this or any stream, the same holds.
    await a.append({ stream: 'plan-x', events: makeEvents(1), expectedRevision: 4n, commandId: uniqueId('c') });
    await b.append({ stream: 'plan-x', events: makeEvents(1), expectedRevision: 5n, commandId: uniqueId('c') });
    expect((await collect(a.readStream('plan-x', { fromRevision: 6n }))).map((e) => e.revision)).toEqual([6n]);
  });

  it('checks the expected revision against the file, not a cache: a second writer is seen', async () => {
    const a = open();
    const b = open();
    await a.append(one('plan-1', 'noStream'));
    await b.append(one('plan-1', 0n));
    await expect(a.append(one('plan-1', 0n))).rejects.toMatchObject({ actual: 1n });
    expect((await a.append(one('plan-1', 1n))).firstPosition).toBe(2n);
  });

  it('keeps revisions and positions exact beyond 2^53 (bigint end to end)', async () => {
    const store = open();
    const big = 2n ** 53n + 1n;
    // Put a stream at a revision and position a double cannot hold, as an old ledger might have.
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(store.file);
    const [event] = makeEvents(1);
    raw
      .prepare(
        `INSERT INTO events (position, stream, revision, event_id, type, schema_version, recorded_at, command_id, body, hash)
       VALUES (?, 'big', ?, ?, ?, 1, ?, ?, ?, ?)`,
      )
      .run(big, big, event!.eventId, event!.type, event!.recordedAt, event!.commandId, JSON.stringify(event), 'a'.repeat(64));
    raw.close();
    const result = await store.append(one('big', big));
    expect(result).toMatchObject({ nextExpectedRevision: big + 1n, firstPosition: big + 1n });
    expect((await collect(store.readStream('big'))).map((e) => [e.revision, e.position])).toEqual([
      [big, big],
      [big + 1n, big + 1n],
    ]);
    expect(await store.headPosition()).toBe(big + 1n);
    expect(await store.findCommand(result.commandId)).toMatchObject({ lastPosition: big + 1n });
  });

  it('reads correctly when the event count is an exact multiple of the page size', async () => {
    const store = open({ pageSize: 2 });
    await store.append({ stream: 's', events: makeEvents(4), expectedRevision: 'noStream', commandId: 'c1' });
    expect((await collect(store.readStream('s'))).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
    expect((await collect(store.readAll({ fromPosition: 1n }))).map((e) => e.position)).toEqual([1n, 2n, 3n]);
    expect((await collect(store.readAll({ limit: 2 }))).map((e) => e.position)).toEqual([0n, 1n]);
    expect((await collect(store.readAll({ limit: 3 }))).map((e) => e.position)).toEqual([0n, 1n, 2n]);
  });

  it('stores every event with its chain hash, which can never be rewritten', async () => {
    const store = open();
    await store.append({ stream: 's', events: makeEvents(2), expectedRevision: 'noStream', commandId: 'c1' });
    const [first, second] = await collect(store.readAll());
    expect(first?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second?.hash).not.toBe(first?.hash);
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(store.file);
    expect(() => raw.prepare("UPDATE events SET hash = 'abc' WHERE position = 0").run()).toThrow(/append-only/);
    raw.close();
    expect((await collect(store.readAll()))[0]).toEqual(first);
  });

  it('rejects malformed requests before they reach the database', async () => {
    const store = open();
    await expect(store.append({ stream: 's', events: [], expectedRevision: 'any', commandId: 'c' })).rejects.toThrow(RangeError);
    await expect(store.append({ ...one('s'), expectedRevision: -1n })).rejects.toThrow(TypeError);
    await expect(store.append({ ...one('s'), commandId: '' })).rejects.toThrow(TypeError);
    expect(store.stats().transactions).toBe(0);
  });
});
