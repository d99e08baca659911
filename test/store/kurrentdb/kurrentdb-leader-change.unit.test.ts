import { describe, expect, it } from 'vitest';
import type { EngineClient } from '../../../src/store/kurrentdb/engine-client.ts';
import { leaderFollowingClient } from '../../../src/store/kurrentdb/leader-following-client.ts';
import { StoreUnavailable } from '../../../src/store/port.ts';
import { collect } from '../../support/collect.ts';
import { makeEvents, uniqueId } from '../../support/events.ts';
import { useStandInStores } from './stand-in/use-stand-in-stores.ts';
import { notLeaderRefusal } from './stand-in/stand-in-server-rules.ts';

/*
 * A cluster elects a new leader. Client 1.3.1 does not reconnect when a former leader refuses a
 * multi-stream append (it reads the refusal as an UnknownError), so the adapter opens a new
 * client itself. The stand-in (NOT KurrentDB) plays the election: connections made before it
 * reach a follower.
 */
describe('the KurrentDB adapter across a leader election (in-process stand-in, not KurrentDB)', () => {
  const stores = useStandInStores();
  const command = (stream: string, expectedRevision: 'noStream' | bigint) => {
    const commandId = uniqueId('c');
    return { stream, events: makeEvents(1, commandId), expectedRevision, commandId };
  };

  it('writes reach the new leader after an election, each command once', async () => {
    const engine = stores.engine();
    const store = await stores.open(undefined, { client: leaderFollowingClient(() => engine.connect()), ownsClient: true });
    await store.append(command('plan-a', 'noStream'));
    engine.electNewLeader();
    const after = await store.append(command('plan-a', 0n));
    expect(after).toMatchObject({ firstPosition: 1n, nextExpectedRevision: 1n, replayed: false });
    const stream = await collect(store.readStream('plan-a'));
    expect(stream.map((e) => e.revision)).toEqual([0n, 1n]);
    expect(stream[1]!.eventId).toBe(after.eventIds[0]);
    expect(await store.count()).toBe(2);
  });

  it('without following the leader, every write after an election is refused as unavailable', async () => {
    const engine = stores.engine();
    const store = await stores.open(undefined, { client: engine.connect(), ownsClient: true });
    await store.append(command('plan-a', 'noStream'));
    engine.electNewLeader();
    // Resent for the appender's 5 s budget, always to the former leader, then refused.
    await expect(store.append(command('plan-a', 0n))).rejects.toBeInstanceOf(StoreUnavailable);
  });

  it('opens one new client for refusals that arrive together, and disposes of every client it opened', async () => {
    const opened: string[] = [];
    const disposed: string[] = [];
    const fake = (name: string, refuse: boolean): EngineClient => ({
      multiStreamAppend: async () => {
        if (refuse) throw notLeaderRefusal();
        return { position: 1n, responses: [] };
      },
      readStream: () => ({ [Symbol.asyncIterator]: async function* () {} })[Symbol.asyncIterator](),
      readAll: () => ({ [Symbol.asyncIterator]: async function* () {} })[Symbol.asyncIterator](),
      subscribeToAll: () => {
        throw new Error('not used');
      },
      getStreamMetadata: () => Promise.reject(new Error('not used')),
      setStreamMetadata: () => Promise.reject(new Error('not used')),
      dispose: async () => void disposed.push(name),
    });
    const client = leaderFollowingClient(() => {
      opened.push(`client-${opened.length + 1}`);
      return fake(opened.at(-1)!, opened.length === 1);
    });
    const refused = await Promise.allSettled([client.multiStreamAppend([]), client.multiStreamAppend([])]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(opened).toEqual(['client-1', 'client-2']);
    await expect(client.multiStreamAppend([])).resolves.toMatchObject({ position: 1n });
    await client.dispose();
    expect(disposed.sort()).toEqual(['client-1', 'client-2']);
  });
});
