import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, WrongExpectedVersionError, type AppendStreamRequest, type EventData } from '@kurrent/kurrentdb-client';
import { collect } from '../../support/collect.ts';
import { InProcessKurrentDBStandIn } from './stand-in/in-process-kurrentdb-stand-in.ts';

/*
 * The in-process stand-in (NOT KurrentDB) must be no more forgiving than the server, or the
 * adapter could send what a server refuses and no test here would show it. These pin the
 * server rules it plays (read from KurrentDB 25.1.3's v2 append validators), and how client
 * 1.3.1 reports each refusal; the contract suites then run the adapter under them.
 */
const event = (overrides: { id?: string; type?: string; metadata?: Record<string, unknown> } = {}): EventData =>
  ({
    id: overrides.id ?? crypto.randomUUID(),
    contentType: 'application/json',
    type: overrides.type ?? 'SectionAdded',
    data: { a: 1 },
    // Not always flat strings: the client's own check is one of the things tested.
    metadata: overrides.metadata as EventData['metadata'],
  }) as EventData;
const request = (streamName: string, events: EventData[] = [event()]): AppendStreamRequest => ({
  streamName,
  events,
  expectedState: 'any',
});

describe('the in-process KurrentDB stand-in refuses what the server refuses', () => {
  it.each([
    ['a record id that is not a UUID', [request('ledger:plan-a', [event({ id: 'evt-1' })])]],
    ['the nil UUID as a record id', [request('ledger:plan-a', [event({ id: '00000000-0000-0000-0000-000000000000' })])]],
    ['an event type outside letters, digits and _.$:-', [request('ledger:plan-a', [event({ type: 'Section Added' })])]],
    ['a request without records', [request('ledger:plan-a', [])]],
    ['one stream twice in a session, whatever its case', [request('ledger:plan-a'), request('LEDGER:PLAN-A')]],
  ])('refuses %s and writes nothing', async (_what, requests) => {
    const engine = new InProcessKurrentDBStandIn();
    await expect(engine.multiStreamAppend(requests)).rejects.toMatchObject({ type: 'unknown' });
    expect(engine.log).toHaveLength(0);
  });

  it('refuses metadata that is not flat strings before sending, as the client does', async () => {
    const engine = new InProcessKurrentDBStandIn();
    await expect(engine.multiStreamAppend([request('s', [event({ metadata: { n: 1 } })])])).rejects.toThrow(/string values/);
  });

  it('hands metadata back as the server renders stored properties: with the schema name and format added', async () => {
    const engine = new InProcessKurrentDBStandIn();
    await engine.multiStreamAppend([request('ledger:plan-a', [event({ metadata: { hash: 'h' } }), event()])]);
    const read = await collect(engine.readStream('ledger:plan-a'));
    expect(read.map((r) => r.event?.metadata)).toEqual([
      { hash: 'h', '$schema.name': 'SectionAdded', '$schema.format': 'Json' },
      { '$schema.name': 'SectionAdded', '$schema.format': 'Json' },
    ]);
  });

  it('rejects an append it cannot deliver with the raw gRPC error, as the client does when its session fails', async () => {
    const engine = new InProcessKurrentDBStandIn();
    engine.goOffline();
    const failed = await engine.multiStreamAppend([request('ledger:plan-a')]).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 14, details: 'No connection established' });
    expect(failed).not.toHaveProperty('type');
  });
});

describe('the in-process KurrentDB stand-in reports a wrong expected revision as the server does', () => {
  it.each([
    ['an exact revision on a stream that has more', 0n, 'stream', 1n],
    ['no stream on a stream that exists', 'no_stream', 'stream', 1n],
    ['an exact revision on a stream that does not exist', 3n, 'none', 'no_stream'],
    ['stream exists on a stream that does not exist', 'stream_exists', 'none', 'no_stream'],
  ] as const)('%s: a WrongExpectedVersionError read from the status details by the client', async (_, expected, target, actual) => {
    const engine = new InProcessKurrentDBStandIn();
    await engine.multiStreamAppend([{ ...request('ledger:plan-a', [event(), event()]), expectedState: 'no_stream' }]);
    const streamName = target === 'stream' ? 'ledger:plan-a' : 'ledger:plan-b';
    const error = await engine
      .multiStreamAppend([request('ledger:other'), { ...request(streamName), expectedState: expected }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ type: 'wrong-expected-version', streamName, expectedState: expected, actualState: actual });
    expect(await collect(engine.readStream('ledger:other')).catch((e: unknown) => (e as Error).constructor.name)).toBe(
      'StreamNotFoundError',
    );
  });
});

describe('the in-process KurrentDB stand-in checks read arguments as the client does', () => {
  it('reading a stream from a revision below 0 is refused when called, before anything is read', async () => {
    const engine = new InProcessKurrentDBStandIn();
    await engine.multiStreamAppend([{ ...request('ledger:plan-a'), expectedState: 'no_stream' }]);
    expect(() => engine.readStream('ledger:plan-a', { fromRevision: -1n })).toThrow(InvalidArgumentError);
  });
});
