import { describe, expect, it } from 'vitest';
import { chainHashes, claimedHash, newEventOf, toEngineEvent, toStoredEvent } from '../../../src/store/kurrentdb/event-codec.ts';
import { fromMarkerRecord, toMarkerEvent } from '../../../src/store/kurrentdb/command-marker.ts';
import { ledgerNames, markerEventId } from '../../../src/store/kurrentdb/stream-names.ts';
import { GENESIS_HASH, referenceEventHash } from '../../../src/integrity/event-hash.ts';
import type { RecordedEvent } from '@kurrent/kurrentdb-client';
import { collect } from '../../support/collect.ts';
import { makeEvents, uniqueId } from '../../support/events.ts';
import { useSqliteStores } from '../../support/sqlite-stores.ts';
import { useStandInStores } from './stand-in/use-stand-in-stores.ts';

/** An engine record as the client hands it back: the JSON body parsed anew. */
const asRecorded = (data: unknown, overrides: Partial<RecordedEvent> = {}): RecordedEvent =>
  ({
    streamId: 'ledger:plan-a',
    id: (data as { eventId: string }).eventId,
    revision: 0n,
    type: 'SectionAdded',
    data: JSON.parse(JSON.stringify(data)),
    metadata: undefined,
    isJson: true,
    created: new Date(),
    ...overrides,
  }) as RecordedEvent;

describe('KurrentDB codec', () => {
  it('puts the whole event in the body, its hash and ids in flat string metadata, and reads it back unchanged', () => {
    const [event] = makeEvents(1);
    const hash = chainHashes('plan-a', [event!], 0n, GENESIS_HASH)[0]!;
    const engineEvent = toEngineEvent(event!, hash);
    expect(engineEvent).toMatchObject({ id: event!.eventId, type: event!.type, contentType: 'application/json' });
    expect(Object.values(engineEvent.metadata as object).every((v) => typeof v === 'string')).toBe(true);
    const record = asRecorded(engineEvent.data, { metadata: JSON.parse(JSON.stringify(engineEvent.metadata)) });
    expect(claimedHash(record)).toBe(hash);
    const { stream, revision, position, hash: stored, ...rest } = toStoredEvent(record, 'plan-a', 7n, hash);
    expect(rest).toStrictEqual(event);
    expect([stream, revision, position, stored]).toEqual(['plan-a', 0n, 7n, hash]);
  });

  it('hashes over the unprefixed stream name, as the reference hash and SQLite do', () => {
    const events = makeEvents(3);
    const hashes = chainHashes('plan-a', events, 0n, GENESIS_HASH);
    let previous = GENESIS_HASH;
    events.forEach((event, i) => {
      expect(hashes[i]).toBe(referenceEventHash(event, { stream: 'plan-a', revision: i, previousHash: previous }));
      previous = hashes[i]!;
    });
  });

  it('refuses an event JSON cannot carry before anything is sent', () => {
    const [event] = makeEvents(1);
    expect(() => chainHashes('plan-a', [{ ...event!, data: { size: 1n } }], 0n, GENESIS_HASH)).toThrow(TypeError);
  });

  it('does not take a body for a ledger event unless it is a JSON object naming the record itself', () => {
    const [event] = makeEvents(1);
    expect(() => newEventOf(asRecorded(event, { id: '00000000-0000-4000-8000-000000000000' }))).toThrow(/holds event/);
    expect(() => newEventOf(asRecorded(event, { isJson: false } as Partial<RecordedEvent>))).toThrow(/not a JSON ledger event/);
    expect(claimedHash(asRecorded(event, { metadata: { hash: 'not-a-hash' } }))).toBeUndefined();
    expect(claimedHash(asRecorded(event, { metadata: new Uint8Array([1, 2]) }))).toBeUndefined();
  });

  describe('the same hash as SQLite', () => {
    const sqlite = useSqliteStores();
    const kurrent = useStandInStores();

    it('gives every event of the same commands the same chain hash on both backends', async () => {
      const sqliteStore = sqlite.open();
      const kurrentStore = await kurrent.open();
      const commands = [
        { stream: 'plan-a', events: makeEvents(2), expectedRevision: 'noStream' as const },
        { stream: 'plan-b', events: makeEvents(1), expectedRevision: 'noStream' as const },
        { stream: 'plan-a', events: makeEvents(3), expectedRevision: 1n },
      ];
      for (const command of commands) {
        const commandId = uniqueId('c');
        await sqliteStore.append({ ...command, commandId });
        await kurrentStore.append({ ...command, commandId });
      }
      const onSqlite = await collect(sqliteStore.readAll());
      const onKurrent = await collect(kurrentStore.readAll());
      expect(onKurrent.map((e) => [e.eventId, e.stream, e.revision, e.position, e.hash])).toEqual(
        onSqlite.map((e) => [e.eventId, e.stream, e.revision, e.position, e.hash]),
      );
    });
  });
});

describe('KurrentDB stream and marker names', () => {
  const names = ledgerNames();

  it('prefixes ledger streams with ledger: and knows a ledger stream from any other', () => {
    expect(names.engineStream('plan-dorset')).toBe('ledger:plan-dorset');
    expect(names.ledgerStream('ledger:plan-dorset')).toBe('plan-dorset');
    expect(names.ledgerStream(names.checkpoints)).toBeUndefined();
    expect(names.ledgerStream('$stats-127.0.0.1:2113')).toBeUndefined();
  });

  it('names a command marker stream by the SHA-256 of the command id, outside the ledger prefix, whatever the id holds', () => {
    const name = names.markerStream('an id/with spaces, slashes and ünïcode');
    expect(name).toMatch(/^ledger-meta:command-[0-9a-f]{64}$/);
    expect(names.ledgerStream(name)).toBeUndefined();
    expect(names.markerStream('a')).toBe(names.markerStream('a'));
    expect(names.markerStream('a')).not.toBe(names.markerStream('b'));
  });

  it('keeps ledgers under other namespaces apart, and refuses a namespace that could overlap another', () => {
    const other = ledgerNames('staging');
    expect(other.engineStream('plan-a')).toBe('staging:plan-a');
    expect(names.ledgerStream(other.engineStream('plan-a'))).toBeUndefined();
    expect(ledgerNames('staging2').ledgerStream(other.engineStream('plan-a'))).toBeUndefined();
    expect(other.checkpoints).toBe('staging-meta:checkpoints');
    for (const bad of ['', 'Ledger', 'a:b', 'x-meta', '-a']) expect(() => ledgerNames(bad)).toThrow(RangeError);
  });

  it('derives the marker event id from the command and its events (a v5 uuid): a resend repeats it, another request cannot', () => {
    expect(markerEventId('cmd-1', ['e1', 'e2'])).toBe(markerEventId('cmd-1', ['e1', 'e2']));
    expect(markerEventId('cmd-1', ['e1'])).not.toBe(markerEventId('cmd-2', ['e1']));
    expect(markerEventId('cmd-1', ['e1'])).not.toBe(markerEventId('cmd-1', ['e3']));
    expect(markerEventId('cmd-1', ['e1'])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reads a marker back as written, and names anything else in a marker stream as damage', () => {
    const marker = {
      commandId: 'cmd-1',
      stream: 'plan-a',
      requestFingerprint: 'f'.repeat(64),
      eventIds: ['e1', 'e2'],
      firstRevision: 3n,
      lastRevision: 4n,
    };
    const event = toMarkerEvent(marker);
    const record = {
      ...asRecorded({ eventId: event.id }),
      id: event.id,
      type: event.type,
      data: JSON.parse(JSON.stringify(event.data)),
    } as RecordedEvent;
    expect(fromMarkerRecord(record)).toEqual(marker);
    const { requestFingerprint: _, ...withoutFingerprint } = marker;
    const bare = toMarkerEvent(withoutFingerprint);
    expect(fromMarkerRecord({ ...record, data: JSON.parse(JSON.stringify(bare.data)) } as RecordedEvent)).toEqual(withoutFingerprint);
    expect(() => fromMarkerRecord({ ...record, type: 'Other' } as RecordedEvent)).toThrow(/not a LedgerCommandApplied event/);
  });
});
