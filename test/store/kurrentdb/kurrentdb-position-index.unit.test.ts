import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../src/integrity/event-hash.ts';
import { StoreUnavailable } from '../../../src/store/port.ts';
import { toEngineEvent } from '../../../src/store/kurrentdb/event-codec.ts';
import { openKurrentEventStore } from '../../../src/store/kurrentdb/kurrentdb-event-store.ts';
import { createPositionIndexer, PositionIndexDiverged } from '../../../src/store/kurrentdb/position-indexer.ts';
import { openPositionIndex } from '../../../src/store/kurrentdb/sqlite/position-index.ts';
import { ledgerNames } from '../../../src/store/kurrentdb/stream-names.ts';
import { collect } from '../../support/collect.ts';
import { makeEvents, uniqueId } from '../../support/events.ts';
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

  it('refuses to serve from an index built from another ledger, naming the file and how to rebuild it', async () => {
    const store = await stores.open('positions.db');
    await appendEach(store, ['plan-a', 'plan-b']);
    await store.close();
    const elsewhere = new InProcessKurrentDBStandIn();
    const error = await openKurrentEventStore({
      client: elsewhere,
      address: 'other:2113',
      indexFile: stores.file('positions.db'),
      ownsClient: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PositionIndexDiverged);
    expect((error as Error).message).toMatch(/positions\.db.*delete the index file/);
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
