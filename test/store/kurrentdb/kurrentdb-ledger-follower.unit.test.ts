import { describe, expect, it } from 'vitest';
import type { EngineClient } from '../../../src/store/kurrentdb/engine-client.ts';
import { followLedger } from '../../../src/store/kurrentdb/ledger-follower.ts';
import { ledgerNames } from '../../../src/store/kurrentdb/stream-names.ts';
import { InProcessKurrentDBStandIn } from './stand-in/in-process-kurrentdb-stand-in.ts';

/*
 * The follower keeps one `$all` subscription open. A dropped subscription ends with 'error' and,
 * on the real client, 'end' and 'close' as well (it is a Transform fed by the gRPC stream); an
 * unsubscribed one ends with 'end' and 'close'. Each drop must cost one new subscription, and a
 * stopped follower none. Run on the in-process stand-in (NOT KurrentDB).
 */
describe('the KurrentDB ledger follower (in-process stand-in, not KurrentDB)', () => {
  const countingClient = (engine: InProcessKurrentDBStandIn) => {
    let opened = 0;
    const client: EngineClient = {
      ...engine.connect(),
      subscribeToAll: (options) => {
        opened++;
        return engine.subscribeToAll(options);
      },
    };
    return { client, opened: () => opened };
  };
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('a dropped subscription is replaced by exactly one new subscription', async () => {
    const engine = new InProcessKurrentDBStandIn();
    const { client, opened } = countingClient(engine);
    const errors: unknown[] = [];
    const follower = followLedger({
      client,
      names: ledgerNames(),
      from: () => undefined,
      onChange: () => undefined,
      onError: (error) => errors.push(error),
      minDelayMs: 5,
      maxDelayMs: 5,
    });
    engine.goOffline();
    engine.goOnline();
    await settle(100);
    expect(errors).toHaveLength(1);
    expect(opened()).toBe(2);
    await follower.stop();
  });

  it('a stopped follower opens no new subscription when its subscription ends', async () => {
    const engine = new InProcessKurrentDBStandIn();
    const { client, opened } = countingClient(engine);
    const errors: unknown[] = [];
    const follower = followLedger({
      client,
      names: ledgerNames(),
      from: () => undefined,
      onChange: () => undefined,
      onError: (error) => errors.push(error),
      minDelayMs: 5,
      maxDelayMs: 5,
    });
    await follower.stop();
    await settle(100);
    expect(errors).toEqual([]);
    expect(opened()).toBe(1);
  });
});
