import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../events/envelope.ts';
import { collect } from '../support/collect.ts';
import { makeEvent, makeEvents, uniqueId } from '../support/events.ts';
import type { ContractContext } from './contract.ts';

const increasing = (positions: bigint[]) => positions.every((p, i) => i === 0 || p > positions[i - 1]!);

/** Each event's ledger time: the latest recordedAt up to it along the ledger (what an asOf is compared with). */
const ledgerTimes = (ledger: StoredEvent[]) => {
  let latest = '';
  return ledger.map((e) => (latest = e.recordedAt > latest ? e.recordedAt : latest));
};
/** The last position whose ledger time is at or before an instant: what positionAt answers. */
const lastBy = (ledger: StoredEvent[]) => {
  const times = ledgerTimes(ledger);
  return (instant: string) => ledger.filter((_, i) => times[i]! <= instant).at(-1)?.position;
};

export const readContract = ({ store }: ContractContext): void => {
  /** Appends `perStream` single-event commands to each stream, interleaved; returns the event ids in append order. */
  const interleave = async (streams: string[], perStream: number) => {
    const ids: string[] = [];
    for (let i = 0; i < perStream; i++) {
      for (const stream of streams) {
        const events = makeEvents(1);
        await store().append({ stream, events, expectedRevision: 'any', commandId: uniqueId('c') });
        ids.push(events[0]!.eventId);
      }
    }
    return ids;
  };
  const ours = (prefix: string) => (e: StoredEvent) => e.stream.startsWith(prefix);

  describe('readAll', () => {
    it('yields events in increasing position order, matching the order they were appended', async () => {
      const prefix = uniqueId('all');
      const ids = await interleave([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`], 3);
      const read = (await collect(store().readAll())).filter(ours(prefix));
      expect(read.map((e) => e.eventId)).toEqual(ids);
      expect(increasing(read.map((e) => e.position))).toBe(true);
    });

    it('starts at fromPosition, inclusive', async () => {
      const stream = uniqueId('all');
      const result = await store().append({ stream, events: makeEvents(4), expectedRevision: 'noStream', commandId: uniqueId('c') });
      const third = (await collect(store().readStream(stream)))[2]!;
      const read = await collect(store().readAll({ fromPosition: third.position }));
      expect(read[0]).toEqual(third);
      expect(read.filter((e) => e.stream === stream).map((e) => e.revision)).toEqual([2n, 3n]);
      expect(read[read.length - 1]!.position >= result.lastPosition).toBe(true);
    });

    it('stops after limit events', async () => {
      const stream = uniqueId('all');
      const result = await store().append({ stream, events: makeEvents(5), expectedRevision: 'noStream', commandId: uniqueId('c') });
      const read = await collect(store().readAll({ fromPosition: result.firstPosition, limit: 3 }));
      expect(read.map((e) => [e.stream, e.revision])).toEqual([
        [stream, 0n],
        [stream, 1n],
        [stream, 2n],
      ]);
      expect(await collect(store().readAll({ fromPosition: result.firstPosition, limit: 0 }))).toEqual([]);
    });

    it('yields nothing from beyond the head', async () => {
      const result = await store().append({
        stream: uniqueId('all'),
        events: makeEvents(1),
        expectedRevision: 'any',
        commandId: uniqueId('c'),
      });
      expect(await collect(store().readAll({ fromPosition: result.lastPosition + 1_000_000n }))).toEqual([]);
    });

    it('pages through more events than one page holds, in order, with and without a limit', async () => {
      const stream = uniqueId('big');
      let firstPosition: bigint | undefined;
      for (let i = 0; i < 11; i++) {
        const r = await store().append({ stream, events: makeEvents(100), expectedRevision: 'any', commandId: uniqueId('c') });
        firstPosition ??= r.firstPosition;
      }
      const all = (await collect(store().readAll({ fromPosition: firstPosition }))).filter((e) => e.stream === stream);
      expect(all.map((e) => e.revision)).toEqual(Array.from({ length: 1100 }, (_, i) => BigInt(i)));
      expect(increasing(all.map((e) => e.position))).toBe(true);
      const limited = await collect(store().readAll({ fromPosition: firstPosition, limit: 1050 }));
      expect(limited).toHaveLength(1050);
      expect(limited.map((e) => e.eventId)).toEqual(all.slice(0, 1050).map((e) => e.eventId));
      const byStream = await collect(store().readStream(stream, { fromRevision: 10n }));
      expect(byStream.map((e) => e.eventId)).toEqual(all.slice(10).map((e) => e.eventId));
    });
  });

  describe('readStream', () => {
    it('stops after limit events, from any revision, across pages', async () => {
      const stream = uniqueId('limited');
      for (let i = 0; i < 6; i++)
        await store().append({ stream, events: makeEvents(100), expectedRevision: 'any', commandId: uniqueId('c') });
      const revisions = async (fromRevision: bigint, limit: number) =>
        (await collect(store().readStream(stream, { fromRevision, limit }))).map((e) => Number(e.revision));
      expect(await revisions(3n, 2)).toEqual([3, 4]);
      expect(await revisions(0n, 0)).toEqual([]);
      expect(await revisions(590n, 50)).toEqual(Array.from({ length: 10 }, (_, i) => 590 + i));
      expect(await revisions(10n, 550)).toEqual(Array.from({ length: 550 }, (_, i) => 10 + i));
      expect(() => store().readStream(stream, { limit: -1 })).toThrow(RangeError);
    });

    it('stops at toPosition, inclusive, with the rest of the ledger written between its events, alone or with a limit', async () => {
      const prefix = uniqueId('upto');
      await interleave([`${prefix}-a`, `${prefix}-b`], 6);
      const mine = await collect(store().readStream(`${prefix}-a`));
      const revisions = async (toPosition: bigint, fromRevision = 0n, limit?: number) =>
        (await collect(store().readStream(`${prefix}-a`, { fromRevision, toPosition, ...(limit === undefined ? {} : { limit }) }))).map(
          (e) => Number(e.revision),
        );
      expect(await revisions(mine[3]!.position)).toEqual([0, 1, 2, 3]);
      // A position held by the other stream's event between this stream's fourth and fifth.
      expect(await revisions(mine[3]!.position + 1n)).toEqual([0, 1, 2, 3]);
      expect(await revisions(mine[3]!.position, 2n)).toEqual([2, 3]);
      expect(await revisions(mine[5]!.position, 1n, 2)).toEqual([1, 2]);
      expect(await revisions(mine[0]!.position - 1n)).toEqual([]);
      expect(await revisions(mine[2]!.position, 4n)).toEqual([]);
      expect(await revisions(mine[5]!.position + 1000n)).toEqual([0, 1, 2, 3, 4, 5]);
    });
  });

  describe('readRevisions', () => {
    it('yields the events at the revisions asked for, each once and in order, skipping those the stream does not have', async () => {
      const prefix = uniqueId('revs');
      await interleave([`${prefix}-a`, `${prefix}-b`], 4);
      const stream = `${prefix}-a`;
      for (let i = 0; i < 6; i++)
        await store().append({ stream, events: makeEvents(100), expectedRevision: 'any', commandId: uniqueId('c') });
      const whole = await collect(store().readStream(stream));
      const read = async (revisions: number[]) => await collect(store().readRevisions(stream, revisions.map(BigInt)));
      // Scattered, close together (a few apart) and far apart, across the store's pages, asked out of order and twice.
      const asked = [603, 0, 2, 9, 3, 250, 251, 599, 9, 2000, 1000];
      expect(await read(asked)).toEqual([0, 2, 3, 9, 250, 251, 599, 603].map((revision) => whole[revision]));
      const many = Array.from({ length: 300 }, (_, i) => i * 2);
      expect(await read(many)).toEqual(many.map((revision) => whole[revision]));
      // More than a page of the store's reads (500 on SQLite).
      expect(await read(whole.map((_, revision) => revision).reverse())).toEqual(whole);
      expect(await read([])).toEqual([]);
      expect(await collect(store().readRevisions(uniqueId('none'), [0n, 1n]))).toEqual([]);
      expect(() => store().readRevisions(stream, [-1n])).toThrow(RangeError);
    });
  });

  describe('positions', () => {
    it('increase with every append, and head and count follow', async () => {
      const stream = uniqueId('pos');
      const countBefore = await store().count();
      const results = [];
      for (const n of [1, 3, 2]) {
        results.push(await store().append({ stream, events: makeEvents(n), expectedRevision: 'any', commandId: uniqueId('c') }));
      }
      for (const [i, r] of results.entries()) {
        expect(r.lastPosition >= r.firstPosition).toBe(true);
        if (i > 0) expect(r.firstPosition > results[i - 1]!.lastPosition).toBe(true);
      }
      expect(results[1]!.lastPosition - results[1]!.firstPosition >= 2n).toBe(true);
      expect(await store().headPosition()).toBe(results[2]!.lastPosition);
      expect(await store().count()).toBe(countBefore + 6);
    });

    it('are dense: an append takes consecutive positions, read back in a row, and the head is count − 1', async () => {
      const stream = uniqueId('dense');
      const result = await store().append({ stream, events: makeEvents(4), expectedRevision: 'noStream', commandId: uniqueId('c') });
      expect(result.lastPosition - result.firstPosition).toBe(3n);
      const read = await collect(store().readAll({ fromPosition: result.firstPosition, limit: 4 }));
      expect(read.map((e) => e.position)).toEqual([0n, 1n, 2n, 3n].map((i) => result.firstPosition + i));
      expect(read.every((e) => e.stream === stream)).toBe(true);
      expect((await store().headPosition())! + 1n).toBe(BigInt(await store().count()));
    });
  });

  describe('positionAt', () => {
    it('answers the last position recorded at or before an instant, for an instant at, between and around recorded times', async () => {
      // Several commands, a moment apart, so some recorded times differ; events of one command share theirs.
      for (let i = 0; i < 4; i++) {
        await store().append({
          stream: uniqueId('at'),
          events: makeEvents(1 + (i % 3)),
          expectedRevision: 'noStream',
          commandId: uniqueId('c'),
        });
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      // The whole ledger, since another test's events (a shared server) are part of what an instant selects.
      const ledger = await collect(store().readAll());
      const expected = lastBy(ledger);
      const shifted = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();
      const instants = [...new Set(ledger.slice(-12).flatMap((e) => [e.recordedAt, shifted(e.recordedAt, -1), shifted(e.recordedAt, 1)]))];
      for (const instant of [...instants, shifted(ledger[0]!.recordedAt, -1), '1970-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'])
        expect(await store().positionAt(instant), instant).toBe(expected(instant));
    });

    it('answers nothing on an empty ledger, and the head once the instant is past the last event', async () => {
      const head = await store().headPosition();
      expect(await store().positionAt('9999-12-31T23:59:59.999Z')).toBe(head);
      if (head === undefined) expect(await store().positionAt('2020-01-01T00:00:00.000Z')).toBeUndefined();
    });

    it('reads a command stamped before the ledger time at the ledger time, so an instant the ledger time has passed keeps its answer', async () => {
      // Stamps a moment ahead of everything the ledger holds, so other tests' events (a shared server) cannot come between them.
      const base = Date.parse((await store().headLedgerTime()) ?? new Date().toISOString()) + 10;
      const at = (ms: number) => new Date(base + ms).toISOString();
      const append = (ms: number) => {
        const event = makeEvent({ recordedAt: at(ms) });
        return store().append({ stream: uniqueId('cross'), events: [event], expectedRevision: 'noStream', commandId: event.commandId });
      };
      const first = await append(0);
      await append(40);
      // Stamped before the one ahead of it (decided earlier, committed later): read at that one's time.
      const crossing = await append(10);
      const between = at(20);
      const before = await store().positionAt(between);
      expect(await store().positionAt(at(40))).toBe(crossing.lastPosition);
      expect(await store().headLedgerTime()).toBe(at(40));
      await append(50);
      const ledger = await collect(store().readAll());
      expect(before).toBe(first.lastPosition);
      expect(await store().positionAt(between)).toBe(first.lastPosition);
      for (const instant of [at(-1), at(0), at(10), between, at(39), at(40), at(50)])
        expect(await store().positionAt(instant), instant).toBe(lastBy(ledger)(instant));
      expect(await store().headLedgerTime()).toBe(ledgerTimes(ledger).at(-1));
      // Later tests on a shared server stamp with the clock: let it pass these stamps.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, base + 60 - Date.now())));
    });
  });
};
