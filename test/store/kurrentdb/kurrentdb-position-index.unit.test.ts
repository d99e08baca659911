import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { GENESIS_HASH } from '../../../src/integrity/event-hash.ts';
import { StoreUnavailable } from '../../../src/store/port.ts';
import { toEngineEvent } from '../../../src/store/kurrentdb/event-codec.ts';
import { openKurrentEventStore } from '../../../src/store/kurrentdb/kurrentdb-event-store.ts';
import { readStreamPages } from '../../../src/store/kurrentdb/kurrentdb-reads.ts';
import { createPositionIndexer, PositionIndexDiverged } from '../../../src/store/kurrentdb/position-indexer.ts';
import { openPositionIndex } from '../../../src/store/kurrentdb/sqlite/position-index.ts';
import { ledgerNames } from '../../../src/store/kurrentdb/stream-names.ts';
import { collect } from '../../support/collect.ts';
import { makeEvent, makeEvents, uniqueId } from '../../support/events.ts';
import type { ClockBehind } from '../../../src/store/ledger-time.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { describeEventStoreContract } from '../contract.ts';
import { InProcessKurrentDBStandIn } from './stand-in/in-process-kurrentdb-stand-in.ts';
import { useStandInStores } from './stand-in/use-stand-in-stores.ts';

/** Appends one single-event command per stream name, in order, through an adapter instance. */
const appendEach = async (store: Awaited<ReturnType<ReturnType<typeof useStandInStores>['open']>>, streams: string[]) => {
  for (const stream of streams) await store.append({ stream, events: makeEvents(1), expectedRevision: 'any', commandId: uniqueId('c') });
};

describe('the dense position index over $all (in-process stand-in, not KurrentDB)', () => {
  const stores = useStandInStores();

  it('numbers only ledger events, 0..n-1, skipping system events, command markers and other streams', async () => {
    const engine = stores.engine();
    engine.writeForeign('$stats-127.0.0.1:2113', '$statsCollected');
    const store = await stores.open();
    await appendEach(store, ['plan-a']);
    engine.writeForeign('orders-1', 'OrderPlaced');
    engine.writeForeign('ledger-meta:something-else');
    await appendEach(store, ['plan-b', 'plan-a']);
    const all = await collect(store.readAll());
    expect(all.map((e) => [e.position, e.stream, e.revision])).toEqual([
      [0n, 'plan-a', 0n],
      [1n, 'plan-b', 0n],
      [2n, 'plan-a', 1n],
    ]);
    // Engine positions are sparse; the ledger's are not.
    expect(engine.log.length).toBeGreaterThan(all.length);
    expect(await store.count()).toBe(3);
  });

  it('resumes where it stopped, and a new instance numbers every event the same from scratch', async () => {
    const first = await stores.open('kept.db');
    await appendEach(first, ['plan-a', 'plan-b']);
    await first.close();
    const second = await stores.open('other.db');
    await appendEach(second, ['plan-c', 'plan-a']);
    const again = await stores.open('kept.db');
    const fresh = await stores.open('fresh.db');
    const order = (events: { position: bigint; eventId: string }[]) => events.map((e) => [e.position, e.eventId]);
    expect(order(await collect(again.readAll()))).toEqual(order(await collect(second.readAll())));
    expect(order(await collect(fresh.readAll()))).toEqual(order(await collect(second.readAll())));
    expect(await again.headPosition()).toBe(3n);
  });

  it('an index built from another ledger is cleared and rebuilt from this engine, with one line naming the file', async () => {
    const store = await stores.open('positions.db');
    await appendEach(store, ['plan-a', 'plan-b']);
    await store.close();
    const elsewhere = new InProcessKurrentDBStandIn();
    const there = await stores.open('there.db', { client: elsewhere });
    await appendEach(there, ['plan-x', 'plan-y', 'plan-z']);
    const lines: string[] = [];
    const reopened = await stores.open('positions.db', { client: elsewhere, onIndexProgress: (line) => lines.push(line) });
    expect(lines).toEqual([
      expect.stringMatching(/positions\.db was built from another ledger \(first event .*\), not the one in the engine/),
    ]);
    const ids = (events: { position: bigint; eventId: string }[]) => events.map((e) => [e.position, e.eventId]);
    expect(ids(await collect(reopened.readAll()))).toEqual(ids(await collect(there.readAll())));
  });

  it('indexes the ledger again, saying so, from an index file laid out before entries kept their ledger time', async () => {
    const writer = await stores.open('writer.db');
    await appendEach(writer, ['plan-a', 'plan-b']);
    // The earlier layout, as an earlier release left it, with its entries.
    const earlier = new Database(stores.file('earlier.db'));
    earlier.exec(`CREATE TABLE ledger_index (position INTEGER PRIMARY KEY, commit_position INTEGER NOT NULL,
      prepare_position INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL, revision INTEGER NOT NULL,
      hash TEXT NOT NULL, UNIQUE (stream, revision)) STRICT;
      CREATE TABLE merkle_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) STRICT, WITHOUT ROWID;
      INSERT INTO ledger_index VALUES (0, 1, 1, 'an-event-id', 'plan-a', 0, '${'0'.repeat(64)}');`);
    earlier.close();
    const lines: string[] = [];
    const reopened = await stores.open('earlier.db', { onIndexProgress: (line) => lines.push(line) });
    expect(lines).toContainEqual(expect.stringMatching(/earlier\.db was laid out before it kept each event's ledger time/));
    const ids = (events: { position: bigint; eventId: string }[]) => events.map((e) => [e.position, e.eventId]);
    expect(ids(await collect(reopened.readAll()))).toEqual(ids(await collect(writer.readAll())));
    expect(await reopened.headLedgerTime()).toBe(await writer.headLedgerTime());
  });

  it('indexes the entries of an index file laid out before the index by ledger time, saying so, and answers asOf positions from it', async () => {
    const store = await stores.open('positions.db');
    await appendEach(store, ['plan-a', 'plan-b', 'plan-a']);
    const ledger = await collect(store.readAll());
    await store.close();
    const earlier = new Database(stores.file('positions.db'));
    earlier.exec('DROP INDEX ledger_index_by_time');
    earlier.close();
    const lines: string[] = [];
    const reopened = await stores.open('positions.db', { onIndexProgress: (line) => lines.push(line) });
    expect(lines).toContainEqual(
      expect.stringMatching(/positions\.db was laid out before it was indexed by ledger time: indexed its 3 entries so in [\d.]+ s/),
    );
    for (const event of ledger)
      expect(await reopened.positionAt(event.recordedAt)).toBe(ledger.filter((e) => e.recordedAt <= event.recordedAt).at(-1)!.position);
    const lines2: string[] = [];
    await reopened.close();
    await stores.open('positions.db', { onIndexProgress: (line) => lines2.push(line) });
    expect(lines2.filter((line) => line.includes('indexed by ledger time'))).toEqual([]);
  });

  it('refuses to serve from an index that reaches past an engine restored from an older backup, naming the file', async () => {
    const engine = stores.engine();
    const store = await stores.open('positions.db');
    await appendEach(store, ['plan-a']);
    const recordsAfterFirstCommand = engine.log.length;
    await appendEach(store, ['plan-b']);
    await store.close();
    const restored = engine.restoredFromBackup(recordsAfterFirstCommand);
    const error = await openKurrentEventStore({
      client: restored,
      address: 'restored:2113',
      indexFile: stores.file('positions.db'),
      ownsClient: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PositionIndexDiverged);
    expect((error as Error).message).toMatch(/positions\.db .*restored from an older backup.*delete the index file/);
  });

  it('notices a ledger stream whose first events are gone from the engine, and stops serving rather than renumber', async () => {
    const store = await stores.open();
    await appendEach(store, ['plan-a', 'plan-a', 'plan-a']);
    stores.engine().scavenge('ledger:plan-a', 2n);
    const late = await stores.open('late.db').catch((e: unknown) => e);
    expect(late).toBeInstanceOf(StoreUnavailable);
    expect((late as Error).message).toMatch(/plan-a has revision 2 .* where 0 was due: events are missing/);
  });

  it('refuses an event whose recorded hash does not match its content', async () => {
    const engine = stores.engine();
    const [event] = makeEvents(1);
    await engine.multiStreamAppend([
      { streamName: 'ledger:plan-x', events: [toEngineEvent(event!, 'f'.repeat(64))], expectedState: 'no_stream' },
    ]);
    const error = await stores.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect((error as Error).message).toMatch(/does not match the hash recorded with it/);
  });

  it('two indexers sharing one file never interleave: the one that loses re-reads after the other', async () => {
    const engine = stores.engine();
    const writer = await stores.open();
    await appendEach(writer, ['plan-a', 'plan-b', 'plan-c']);
    const file = stores.file('shared.db');
    const one = openPositionIndex(file);
    const two = openPositionIndex(file);
    try {
      const sizes = await Promise.all([
        createPositionIndexer({ client: engine, names: ledgerNames(), index: one, pageSize: 1 }).catchUp(),
        createPositionIndexer({ client: engine, names: ledgerNames(), index: two, pageSize: 1 }).catchUp(),
      ]);
      expect(sizes).toEqual([3n, 3n]);
      expect(one.range(0n, 10).map((e) => e.eventId)).toEqual((await collect(writer.readAll())).map((e) => e.eventId));
    } finally {
      one.close();
      two.close();
    }
  });

  it('finds the position of an instant from the ledger times it keeps: the engine is asked only to catch the index up', async () => {
    const store = await stores.open();
    for (let minute = 0; minute < 64; minute++) {
      const commandId = uniqueId('c');
      const recordedAt = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
      const events = Array.from({ length: 4 }, () => makeEvent({ commandId, recordedAt }));
      await store.append({ stream: `plan-${minute % 4}`, events, expectedRevision: 'any', commandId });
    }
    const reads = vi.spyOn(stores.engine(), 'readAll');
    expect(await store.positionAt('2026-01-01T00:20:30.000Z')).toBe(20n * 4n + 3n);
    expect(await store.positionAt('2026-01-01T00:40:00.000Z')).toBe(40n * 4n + 3n);
    // One catch-up a search, each finding the index already at the engine's end.
    expect(reads.mock.calls.length).toBe(2);
  });

  it('warns, keeping the stamp, when an append is stamped by a clock well behind the ledger time, and reads it at the ledger time', async () => {
    const warnings: ClockBehind[] = [];
    const store = await stores.open('warned.db', { onClockBehind: (report) => warnings.push(report) });
    const append = (recordedAt: string, clock?: () => Date) => {
      const event = makeEvent({ recordedAt });
      return store.append({ stream: uniqueId('plan'), events: [event], expectedRevision: 'noStream', commandId: event.commandId, clock });
    };
    await append('2026-03-01T10:05:00.000Z');
    const behind = await append('2026-03-01T10:00:00.000Z', () => new Date('2026-03-01T10:00:00.000Z'));
    // A copy's event carries the stamp it was recorded with elsewhere: no clock here was read, so none is behind.
    await append('2026-03-01T10:01:00.000Z');
    expect(warnings).toEqual([
      { clock: '2026-03-01T10:00:00.000Z', ledgerTime: '2026-03-01T10:05:00.000Z', behindMs: 300_000, stampKept: true },
    ]);
    const [kept] = await collect(store.readAll({ fromPosition: behind.firstPosition }));
    expect(kept!.recordedAt).toBe('2026-03-01T10:00:00.000Z');
    expect(await store.positionAt('2026-03-01T10:04:59.999Z')).toBeUndefined();
    expect(await store.positionAt('2026-03-01T10:05:00.000Z')).toBe(behind.firstPosition + 1n);
  });

  it('reads a stream up to a position the index already covers without waiting for events appended since', async () => {
    const writer = await stores.open('writer.db');
    await appendEach(writer, ['plan-x', 'plan-y']);
    // A reader's index as it stood then: positions 0 (plan-x) and 1 (plan-y).
    const index = openPositionIndex(stores.file('reader.db'));
    try {
      const indexer = createPositionIndexer({ client: stores.engine(), names: ledgerNames(), index });
      await indexer.catchUp();
      await appendEach(writer, ['plan-x']);
      // An engine that cannot be caught up with now: the read must not need it.
      const unreachable = { ...indexer, catchUp: () => Promise.reject(new Error('the engine did not answer')) };
      const ctx = { ...writer.context, index, indexer: unreachable, indexWaitMs: 50 };
      const read = await collect(readStreamPages(ctx, () => undefined, 'plan-x', 0n, 1n, Number.POSITIVE_INFINITY));
      expect(read.map((e) => [e.position, e.revision])).toEqual([[0n, 0n]]);
    } finally {
      index.close();
    }
  });

  it('indexes the genesis of a stream with the genesis hash as its predecessor', async () => {
    const store = await stores.open();
    await appendEach(store, ['plan-a']);
    const [event] = await collect(store.readStream('plan-a'));
    expect(event!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(event!.hash).not.toBe(GENESIS_HASH);
  });
});

// An engine that starts a read of $all just after the given position (not at it) must give the same ledger.
describeEventStoreContract(
  'KurrentDB adapter on the in-process stand-in reading $all exclusively (adapter logic only, not KurrentDB)',
  async () => {
    const engine = new InProcessKurrentDBStandIn({ exclusiveReads: true });
    const dir = makeTempDir();
    const open = () =>
      openKurrentEventStore({ client: engine, address: 'in-process stand-in', indexFile: dir.file('positions.db'), ownsClient: false });
    return { store: await open(), reopen: open, dispose: async () => dir.remove() };
  },
);
