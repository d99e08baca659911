import { describe, expect, it } from 'vitest';
import { StoreClosed, WrongExpectedRevision, type ExpectedRevision } from '../../src/store/port.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { collect } from '../support/collect.ts';
import { makeEvents, uniqueId } from '../support/events.ts';
import type { ContractContext } from './contract.ts';

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);

export const lifecycleContract = ({ store, reopen }: ContractContext): void => {
  describe('subscribe', () => {
    it('wakes a subscriber after the commit, when the new events are already readable', async () => {
      const stream = uniqueId('sub');
      let seen!: (value: { head: bigint; events: Promise<StoredEvent[]> }) => void;
      const woken = new Promise<{ head: bigint; events: Promise<StoredEvent[]> }>((resolve) => (seen = resolve));
      const unsubscribe = store().subscribe((head) => seen({ head, events: collect(store().readAll({ fromPosition: head })) }));
      const result = await store().append({ stream, events: makeEvents(2), expectedRevision: 'noStream', commandId: uniqueId('c') });
      const { head, events } = await within(woken, 5000, 'the subscription');
      unsubscribe();
      expect(head >= result.lastPosition).toBe(true);
      expect((await events).map((e) => e.position)).toContain(head);
    });

    it('stops calling a listener once unsubscribed', async () => {
      const heads: bigint[] = [];
      const unsubscribe = store().subscribe((head) => heads.push(head));
      unsubscribe();
      await store().append({ stream: uniqueId('sub'), events: makeEvents(1), expectedRevision: 'any', commandId: uniqueId('c') });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heads).toEqual([]);
    });
  });

  describe('concurrent appends', () => {
    const race = async (expectedRevision: ExpectedRevision, existing: number) => {
      const stream = uniqueId('race');
      if (existing > 0) {
        await store().append({ stream, events: makeEvents(existing), expectedRevision: 'noStream', commandId: uniqueId('c') });
      }
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () => store().append({ stream, events: makeEvents(1), expectedRevision, commandId: uniqueId('c') })),
      );
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(9);
      for (const loser of losers) {
        expect(loser).toBeInstanceOf(WrongExpectedRevision);
        expect((loser as WrongExpectedRevision).actual).toBe(BigInt(existing));
      }
      expect(await collect(store().readStream(stream))).toHaveLength(existing + 1);
    };

    it('with the same exact expected revision: exactly one wins', () => race(0n, 1));
    it("with 'noStream' on a new stream: exactly one creates it", () => race('noStream', 0));
  });

  describe('close', () => {
    it('finishes in-flight appends before closing, and they are there after reopening', async () => {
      const s = store();
      const prefix = uniqueId('closing');
      const pending = Array.from({ length: 20 }, (_, i) =>
        s.append({ stream: `${prefix}-${i % 4}`, events: makeEvents(1), expectedRevision: 'any', commandId: uniqueId('c') }),
      );
      await s.close();
      const results = await Promise.all(pending);
      const again = await reopen();
      for (const result of results) expect(await again.findCommand(result.commandId)).toEqual({ ...result, replayed: true });
    });

    it('refuses appends and reads after close', async () => {
      const s = store();
      await s.close();
      await s.close(); // closing twice is harmless
      await expect(
        s.append({ stream: uniqueId('x'), events: makeEvents(1), expectedRevision: 'any', commandId: uniqueId('c') }),
      ).rejects.toBeInstanceOf(StoreClosed);
      await expect(s.count()).rejects.toBeInstanceOf(StoreClosed);
    });
  });
};
