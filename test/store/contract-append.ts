import { describe, expect, it } from 'vitest';
import { collect } from '../support/collect.ts';
import { makeEvent, makeEvents, uniqueId } from '../support/events.ts';
import type { ContractContext } from './contract.ts';
import { IdempotencyKeyReused } from '../../src/store/port.ts';
import { GENESIS_HASH, referenceEventHash } from '../../src/integrity/event-hash.ts';

export const appendContract = ({ store }: ContractContext): void => {
  describe('append and read back', () => {
    it('reads back exactly what was appended, plus stream, revision and position', async () => {
      const stream = uniqueId('plan');
      const commandId = uniqueId('cmd');
      const events = makeEvents(3, commandId);
      const result = await store().append({ stream, events, expectedRevision: 'noStream', commandId });

      expect(result).toEqual({
        stream,
        commandId,
        nextExpectedRevision: 2n,
        firstPosition: result.firstPosition,
        lastPosition: result.lastPosition,
        eventIds: events.map((e) => e.eventId),
        replayed: false,
      });
      const read = await collect(store().readStream(stream));
      expect(read).toHaveLength(3);
      read.forEach((stored, i) => {
        const { stream: s, revision, position, hash, ...rest } = stored;
        expect(rest).toStrictEqual(events[i]);
        expect([s, revision]).toEqual([stream, BigInt(i)]);
        expect(typeof position).toBe('bigint');
        expect(hash === undefined || typeof hash === 'string').toBe(true);
      });
      expect(read[0]!.position).toBe(result.firstPosition);
      expect(read[2]!.position).toBe(result.lastPosition);
    });

    it('stores each event with its chain hash: the shared function over the event as appended and its stream predecessor', async () => {
      const stream = uniqueId('plan');
      const first = makeEvents(2);
      const second = makeEvents(1);
      await store().append({ stream, events: first, expectedRevision: 'noStream', commandId: first[0]!.commandId });
      await store().append({ stream, events: second, expectedRevision: 1n, commandId: second[0]!.commandId });
      const read = await collect(store().readStream(stream));
      let previousHash = GENESIS_HASH;
      for (const [i, event] of [...first, ...second].entries()) {
        // The reference (canonicalize library) form: what an auditor recomputes, whatever the backend.
        const expected = referenceEventHash(event, { stream, revision: i, previousHash });
        expect(read[i]!.hash).toBe(expected);
        previousHash = expected;
      }
    });

    it("records a command's events at its clock's reading as they are written, never earlier than their own stamp", async () => {
      // A store that records an earlier stamp at the ledger time needs these ahead of it; one that keeps stamps (a shared
      // server) is given them a minute back, so later tests' events are not stamped behind the ledger time.
      const head = Date.parse((await store().headLedgerTime()) ?? new Date().toISOString());
      const base = store().stampsKept ? Date.now() - 60_000 : head + 10;
      const at = (ms: number) => new Date(base + ms).toISOString();
      const append = (stamp: number, clockReads: number) => {
        const commandId = uniqueId('cmd');
        const events = [makeEvent({ commandId, recordedAt: at(stamp) }), makeEvent({ commandId, recordedAt: at(stamp) })];
        const clock = () => new Date(base + clockReads);
        return store().append({ stream: uniqueId('plan'), events, expectedRevision: 'noStream', commandId, clock });
      };
      const stampsOf = async (result: { firstPosition: bigint }) =>
        (await collect(store().readAll({ fromPosition: result.firstPosition, limit: 2 }))).map((e) => e.recordedAt);
      // Decided at +0, written at +5 s (it waited): recorded when written, and hashed as recorded.
      const waited = await append(0, 5000);
      expect(await stampsOf(waited)).toEqual([at(5000), at(5000)]);
      // A clock reading before the stamp the events carry leaves that stamp.
      const ahead = await append(9000, 6000);
      expect(await stampsOf(ahead)).toEqual([at(9000), at(9000)]);
      const [first] = await collect(store().readAll({ fromPosition: waited.firstPosition, limit: 1 }));
      const { stream, revision: _revision, position: _position, hash, ...recorded } = first!;
      expect(hash).toBe(referenceEventHash(recorded, { stream, revision: 0, previousHash: GENESIS_HASH }));
    });

    it('numbers revisions from 0 and continues them across appends', async () => {
      const stream = uniqueId('plan');
      const first = await store().append({ stream, events: makeEvents(2), expectedRevision: 'any', commandId: uniqueId('c') });
      const second = await store().append({ stream, events: makeEvents(3), expectedRevision: 1n, commandId: uniqueId('c') });
      expect(first.nextExpectedRevision).toBe(1n);
      expect(second.nextExpectedRevision).toBe(4n);
      expect(await store().streamRevision(stream)).toBe(4n);
      const revisions = (await collect(store().readStream(stream))).map((e) => e.revision);
      expect(revisions).toEqual([0n, 1n, 2n, 3n, 4n]);
    });

    it('reads a stream from a given revision, inclusive', async () => {
      const stream = uniqueId('plan');
      await store().append({ stream, events: makeEvents(5), expectedRevision: 'noStream', commandId: uniqueId('c') });
      const read = await collect(store().readStream(stream, { fromRevision: 3n }));
      expect(read.map((e) => e.revision)).toEqual([3n, 4n]);
      expect(await collect(store().readStream(stream, { fromRevision: 5n }))).toEqual([]);
    });

    it('reads a stream from a revision below 0 as from its start', async () => {
      const stream = uniqueId('plan');
      await store().append({ stream, events: makeEvents(2), expectedRevision: 'noStream', commandId: uniqueId('c') });
      expect((await collect(store().readStream(stream, { fromRevision: -1n }))).map((e) => e.revision)).toEqual([0n, 1n]);
    });

    it('an unknown stream reads as empty and has no revision', async () => {
      const stream = uniqueId('nowhere');
      expect(await collect(store().readStream(stream))).toEqual([]);
      expect(await store().streamRevision(stream)).toBeUndefined();
    });

    it('a multi-event append is atomic: a failure part-way through writes none of it', async () => {
      const stream = uniqueId('plan');
      await store().append({ stream, events: makeEvents(1), expectedRevision: 'noStream', commandId: uniqueId('c') });
      const countBefore = await store().count();
      // The third event cannot be serialised (JSON has no bigint), after two good ones.
      const events = [...makeEvents(2), makeEvent({ data: { sectionRef: '9', title: 'bad', size: 1n } })];
      const commandId = uniqueId('c');
      await expect(store().append({ stream, events, expectedRevision: 0n, commandId })).rejects.toThrow();
      expect(await store().count()).toBe(countBefore);
      expect(await store().streamRevision(stream)).toBe(0n);
      expect(await store().findCommand(commandId)).toBeUndefined();
    });
  });

  describe('idempotency by commandId', () => {
    it('a repeated command returns the original result and writes nothing', async () => {
      const stream = uniqueId('plan');
      const commandId = uniqueId('cmd');
      const original = await store().append({ stream, events: makeEvents(2, commandId), expectedRevision: 'noStream', commandId });
      const countBefore = await store().count();
      const headBefore = await store().headPosition();

      const again = await store().append({ stream, events: makeEvents(2, commandId), expectedRevision: 'noStream', commandId });
      expect(again).toEqual({ ...original, replayed: true });
      expect(await store().count()).toBe(countBefore);
      expect(await store().headPosition()).toBe(headBefore);
      expect(await collect(store().readStream(stream))).toHaveLength(2);
    });

    it('a replay is answered even when its expected revision has since gone stale', async () => {
      const stream = uniqueId('plan');
      const commandId = uniqueId('cmd');
      const original = await store().append({ stream, events: makeEvents(1), expectedRevision: 'noStream', commandId });
      await store().append({ stream, events: makeEvents(1), expectedRevision: 0n, commandId: uniqueId('c') });
      const again = await store().append({ stream, events: makeEvents(1), expectedRevision: 'noStream', commandId });
      expect(again).toEqual({ ...original, replayed: true });
    });

    it('findCommand returns an applied command and nothing for an unknown one', async () => {
      const stream = uniqueId('plan');
      const commandId = uniqueId('cmd');
      const original = await store().append({ stream, events: makeEvents(1), expectedRevision: 'any', commandId });
      expect(await store().findCommand(commandId)).toEqual({ ...original, replayed: true });
      expect(await store().findCommand(uniqueId('never'))).toBeUndefined();
    });

    it('the same commandId on another stream, or with another fingerprint, is refused and writes nothing', async () => {
      const stream = uniqueId('plan');
      const commandId = uniqueId('cmd');
      const original = await store().append({
        stream,
        events: makeEvents(1),
        expectedRevision: 'noStream',
        commandId,
        requestFingerprint: 'a'.repeat(64),
      });
      const count = await store().count();
      await expect(
        store().append({ stream: uniqueId('plan'), events: makeEvents(1), expectedRevision: 'any', commandId }),
      ).rejects.toBeInstanceOf(IdempotencyKeyReused);
      await expect(
        store().append({ stream, events: makeEvents(1), expectedRevision: 'any', commandId, requestFingerprint: 'b'.repeat(64) }),
      ).rejects.toBeInstanceOf(IdempotencyKeyReused);
      expect(await store().count()).toBe(count);
      // A request without a fingerprint is not the one recorded with it.
      await expect(store().append({ stream, events: makeEvents(1), expectedRevision: 'any', commandId })).rejects.toBeInstanceOf(
        IdempotencyKeyReused,
      );
      expect(await store().count()).toBe(count);
      // The same fingerprint gets the first result.
      expect(
        await store().append({ stream, events: makeEvents(1), expectedRevision: 'any', commandId, requestFingerprint: 'a'.repeat(64) }),
      ).toEqual({ ...original, replayed: true });
      expect(await store().findCommand(commandId)).toEqual({ ...original, replayed: true });
    });

    it('a rejected command is not remembered, so a corrected retry applies', async () => {
      const stream = uniqueId('plan');
      const commandId = uniqueId('cmd');
      await expect(store().append({ stream, events: makeEvents(1), expectedRevision: 'streamExists', commandId })).rejects.toThrow();
      expect(await store().findCommand(commandId)).toBeUndefined();
      const retry = await store().append({ stream, events: makeEvents(1), expectedRevision: 'noStream', commandId });
      expect(retry.replayed).toBe(false);
    });
  });
};
