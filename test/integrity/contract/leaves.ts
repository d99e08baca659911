import { describe, expect, it } from 'vitest';
import { collect } from '../../support/collect.ts';
import { makeEvents, uniqueId } from '../../support/events.ts';
import type { IntegrityContractContext } from './contract.ts';
import { seedStreams, threeStreams } from './seed.ts';

export const leavesContract = ({ ports }: IntegrityContractContext): void => {
  describe('leaves by dense position, chain heads, events by id', () => {
    it('an empty ledger has no leaves and no heads', async () => {
      const { integrity } = ports();
      expect(await integrity.ledgerSize()).toBe(0n);
      expect(await integrity.leafHashes(0n, 10)).toEqual([]);
      expect(await collect(integrity.streamHeads())).toEqual([]);
    });

    it('numbers the leaves 0..n-1 with no gap, each the chain hash the event store gave the event there', async () => {
      const { events, integrity } = ports();
      await seedStreams(events, threeStreams(), 3);
      const stored = await collect(events.readAll());
      expect(await integrity.ledgerSize()).toBe(18n);
      const leaves = await integrity.leafHashes(0n, 100);
      expect(leaves).toEqual(stored.map((e, i) => ({ position: BigInt(i), hash: e.hash })));
      expect(stored.map((e) => e.position)).toEqual(leaves.map((l) => l.position));
    });

    it('pages the leaves from any position, and gives none past the end', async () => {
      const { events, integrity } = ports();
      await seedStreams(events, threeStreams(), 2);
      const all = await integrity.leafHashes(0n, 100);
      expect(await integrity.leafHashes(5n, 4)).toEqual(all.slice(5, 9));
      expect(await integrity.leafHashes(10n, 100)).toEqual(all.slice(10));
      expect(await integrity.leafHashes(12n, 10)).toEqual([]);
    });

    it("finds an event's position and hash by its id; an unknown id is undefined", async () => {
      const { events, integrity } = ports();
      await seedStreams(events, threeStreams(), 2);
      for (const event of await collect(events.readAll())) {
        expect(await integrity.locateEvent(event.eventId)).toEqual({ position: event.position, hash: event.hash });
      }
      expect(await integrity.locateEvent('00000000-0000-7000-8000-000000000000')).toBeUndefined();
    });

    it("gives each stream's last revision and hash, one stream or all of them in name order", async () => {
      const { events, integrity } = ports();
      const streams = threeStreams();
      await seedStreams(events, streams, 2);
      const stored = await collect(events.readAll());
      const lastOf = (stream: string) => stored.filter((e) => e.stream === stream).at(-1)!;
      const expected = [...streams].sort().map((stream) => ({ stream, revision: 3n, hash: lastOf(stream).hash }));
      expect(await collect(integrity.streamHeads())).toEqual(expected);
      expect(await integrity.streamHead(streams[1]!)).toEqual(expected.find((h) => h.stream === streams[1]));
      expect(await integrity.streamHead('plan-nowhere')).toBeUndefined();
    });

    it('lists the heads of more streams than one page holds', async () => {
      const { events, integrity } = ports();
      const streams = Array.from({ length: 1_050 }, (_, i) => `plan-many-${String(i).padStart(4, '0')}`);
      // Appended together: the store may commit them in groups, and the order of the ledger does not matter here.
      await Promise.all(
        streams.map((stream) => events.append({ stream, events: makeEvents(2), expectedRevision: 'noStream', commandId: uniqueId('c') })),
      );
      const heads = await collect(integrity.streamHeads());
      expect(heads.map((h) => h.stream)).toEqual(streams);
      expect(new Set(heads.map((h) => h.revision))).toEqual(new Set([1n]));
    }, 60_000);
  });
};
