import type { AppendStreamState, CurrentStreamState } from '@kurrent/kurrentdb-client';
import type { ExpectedRevision } from '../port.ts';

/** The port's expectation in the engine's words. */
export const toStreamState = (expected: ExpectedRevision): AppendStreamState => {
  switch (expected) {
    case 'any':
      return 'any';
    case 'noStream':
      return 'no_stream';
    case 'streamExists':
      return 'stream_exists';
    default:
      return expected;
  }
};

/**
 * The revision a refusal reports, as the port states it: undefined when the stream does not
 * exist. The engine says so with "no_stream", or on some paths with a negative number (-1 for
 * no stream; -5 and -6 for deleted and tombstoned streams, which the ledger never has).
 */
export const fromCurrentState = (actual: CurrentStreamState): bigint | undefined =>
  actual === 'no_stream' || actual < 0n ? undefined : actual;
