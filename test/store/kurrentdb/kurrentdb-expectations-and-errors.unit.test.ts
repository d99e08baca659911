import { describe, expect, it } from 'vitest';
import {
  StreamNotFoundError,
  TransactionMaxSizeExceededError,
  UnavailableError,
  UnsupportedError,
  WrongExpectedVersionError,
  DeadlineExceededError,
} from '@kurrent/kurrentdb-client';
import { fromCurrentState, toStreamState } from '../../../src/store/kurrentdb/expected-state.ts';
import { isStreamNotFound, isUnreachable, translateEngineError, wrongExpectedVersion } from '../../../src/store/kurrentdb/engine-errors.ts';
import { AppendTooLarge, StoreUnavailable } from '../../../src/store/port.ts';

describe('expected revisions in the engine words', () => {
  it('maps every expectation of the port to the engine state', () => {
    expect(toStreamState('any')).toBe('any');
    expect(toStreamState('noStream')).toBe('no_stream');
    expect(toStreamState('streamExists')).toBe('stream_exists');
    expect(toStreamState(0n)).toBe(0n);
    expect(toStreamState(2n ** 63n - 1n)).toBe(2n ** 63n - 1n);
  });

  it('reads the engine actual state as a revision, or undefined for a missing stream however the engine says it', () => {
    expect(fromCurrentState(5n)).toBe(5n);
    expect(fromCurrentState(0n)).toBe(0n);
    expect(fromCurrentState('no_stream')).toBeUndefined();
    // Some refusal paths report a missing stream as -1 (and deleted ones as -5, -6).
    expect(fromCurrentState(-1n)).toBeUndefined();
    expect(fromCurrentState(-5n)).toBeUndefined();
  });
});

describe('engine errors in the port words', () => {
  const wrongVersion = new WrongExpectedVersionError(undefined, { streamName: 'ledger:plan-a', expected: 1n, current: 3n });

  it('finds the refusal of an expected revision, built without a server as the client builds it', () => {
    expect(wrongExpectedVersion(wrongVersion)).toBe(wrongVersion);
    expect(wrongExpectedVersion(wrongVersion)).toMatchObject({ streamName: 'ledger:plan-a', expectedState: 1n, actualState: 3n });
    expect(wrongExpectedVersion(new Error('x'))).toBeUndefined();
    expect(translateEngineError(wrongVersion, 'db:2113', 'x')).toBe(wrongVersion);
  });

  it('turns an engine that cannot be reached or does not answer into StoreUnavailable naming the address', () => {
    for (const error of [
      new UnavailableError(undefined, 'gone'),
      new DeadlineExceededError(undefined, 'slow'),
      // What a multi-stream append to a dead port rejects with: the raw gRPC error.
      Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
        code: 14,
        details: 'No connection established',
        metadata: { getMap: () => ({}) },
      }),
    ]) {
      expect(isUnreachable(error)).toBe(true);
      const translated = translateEngineError(error, 'db.example:2113', 'an append to plan-a');
      expect(translated).toBeInstanceOf(StoreUnavailable);
      expect((translated as Error).message).toMatch(/KurrentDB at db\.example:2113 did not answer an append to plan-a/);
    }
  });

  it('turns a write beyond the engine size limit into AppendTooLarge, and leaves our own errors alone', () => {
    const tooLarge = Object.assign(Object.create(TransactionMaxSizeExceededError.prototype) as Error, {
      type: 'transaction-max-size-exceeded',
      message: 'too big',
    });
    expect(translateEngineError(tooLarge, 'db:2113', 'an append')).toBeInstanceOf(AppendTooLarge);
    const ours = new TypeError('a bug of ours');
    expect(translateEngineError(ours, 'db:2113', 'x')).toBe(ours);
    expect(isUnreachable(ours)).toBe(false);
  });

  it('names a server too old for multi-stream appends as unavailable, with the version it needs', () => {
    const translated = translateEngineError(new UnsupportedError('multiStreamAppend', '25.1'), 'db:2113', 'an append');
    expect(translated).toBeInstanceOf(StoreUnavailable);
    expect((translated as Error).message).toMatch(/25\.1/);
  });

  it('knows a missing stream', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'ledger:plan-x'))).toBe(true);
    expect(isStreamNotFound(new UnavailableError(undefined, 'x'))).toBe(false);
  });
});
