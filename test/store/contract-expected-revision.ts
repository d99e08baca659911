import { describe, expect, it } from 'vitest';
import { WrongExpectedRevision, type ExpectedRevision } from '../../src/store/port.ts';
import { makeEvents, uniqueId } from '../support/events.ts';
import type { ContractContext } from './contract.ts';

export const expectedRevisionContract = ({ store }: ContractContext): void => {
  /** A stream with `events` events already in it (none: the stream does not exist). */
  const givenStream = async (events: number): Promise<string> => {
    const stream = uniqueId('plan');
    if (events > 0) {
      await store().append({ stream, events: makeEvents(events), expectedRevision: 'noStream', commandId: uniqueId('c') });
    }
    return stream;
  };

  const append = (stream: string, expectedRevision: ExpectedRevision) =>
    store().append({ stream, events: makeEvents(1), expectedRevision, commandId: uniqueId('c') });

  /** The append fails with the stream's actual revision, and writes nothing. */
  const expectRefused = async (stream: string, expected: ExpectedRevision, actual: bigint | undefined) => {
    const countBefore = await store().count();
    const error = await append(stream, expected).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WrongExpectedRevision);
    expect(error).toMatchObject({ stream, expected, actual });
    expect(await store().count()).toBe(countBefore);
    expect(await store().streamRevision(stream)).toBe(actual);
  };

  describe('expected revision', () => {
    it("'any' appends to a new stream and to an existing one", async () => {
      const stream = await givenStream(0);
      expect((await append(stream, 'any')).nextExpectedRevision).toBe(0n);
      expect((await append(stream, 'any')).nextExpectedRevision).toBe(1n);
    });

    it("'noStream' creates a new stream", async () => {
      const stream = await givenStream(0);
      expect((await append(stream, 'noStream')).nextExpectedRevision).toBe(0n);
    });

    it("'noStream' is refused on an existing stream", async () => {
      await expectRefused(await givenStream(2), 'noStream', 1n);
    });

    it("'streamExists' appends to an existing stream", async () => {
      const stream = await givenStream(1);
      expect((await append(stream, 'streamExists')).nextExpectedRevision).toBe(1n);
    });

    it("'streamExists' is refused on a missing stream", async () => {
      await expectRefused(await givenStream(0), 'streamExists', undefined);
    });

    it('an exact revision appends when it is the last revision', async () => {
      const stream = await givenStream(3);
      expect((await append(stream, 2n)).nextExpectedRevision).toBe(3n);
    });

    it('a stale exact revision is refused', async () => {
      await expectRefused(await givenStream(3), 1n, 2n);
    });

    it('an exact revision ahead of the stream is refused', async () => {
      await expectRefused(await givenStream(3), 5n, 2n);
    });

    it('an exact revision on a missing stream is refused', async () => {
      await expectRefused(await givenStream(0), 0n, undefined);
    });
  });
};
