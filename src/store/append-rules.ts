import type { AppendRequest, ExpectedRevision } from './port.ts';

/* The rules every adapter applies to an append the same way, so backends cannot drift apart on them. */

/** Whether a stream at `actual` (undefined: it does not exist) satisfies the expectation: one rule for every backend. */
export const satisfies = (expected: ExpectedRevision, actual: bigint | undefined): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'noStream':
      return actual === undefined;
    case 'streamExists':
      return actual !== undefined;
    default:
      return actual === expected;
  }
};

/** Shape checks that need no database, so a malformed request fails before it joins a batch. */
export const validateRequest = (request: AppendRequest): void => {
  if (request.events.length === 0) throw new RangeError(`append to ${request.stream}: no events`);
  if (typeof request.stream !== 'string' || request.stream.length === 0) throw new TypeError('append: stream is required');
  if (typeof request.commandId !== 'string' || request.commandId.length === 0) {
    throw new TypeError(`append to ${request.stream}: commandId is required`);
  }
  const expected: unknown = request.expectedRevision;
  const valid =
    expected === 'any' || expected === 'noStream' || expected === 'streamExists' || (typeof expected === 'bigint' && expected >= 0n);
  if (!valid) throw new TypeError(`append to ${request.stream}: invalid expectedRevision ${String(expected)}`);
};
