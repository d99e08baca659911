import type { NewEvent, StoredEvent } from '../../../events/envelope.ts';
import type { AppendResult } from '../port.ts';

/** The columns the readers select. revision and position arrive as bigint (safeIntegers). */
export interface EventRow {
  position: bigint;
  stream: string;
  revision: bigint;
  body: string;
  hash: string | null;
}

export const toStoredEvent = (row: EventRow): StoredEvent => {
  // The parsed object is fresh and ours: adding the columns to it rather than copying it
  // halves the cost of reading the ledger, which rebuilds of the read models feel most.
  const stored = JSON.parse(row.body) as NewEvent as StoredEvent;
  stored.stream = row.stream;
  stored.revision = row.revision;
  stored.position = row.position;
  // Leave hash out rather than null so an unchained event deep-equals what was appended.
  if (row.hash !== null) stored.hash = row.hash;
  return stored;
};

/** AppendResult as stored in commands.result: JSON has no bigint, so they become decimal strings. */
interface StoredResult {
  stream: string;
  commandId: string;
  nextExpectedRevision: string;
  firstPosition: string;
  lastPosition: string;
  eventIds: string[];
  requestFingerprint?: string;
}

export const encodeResult = (result: AppendResult): string => {
  const stored: StoredResult = {
    stream: result.stream,
    commandId: result.commandId,
    nextExpectedRevision: result.nextExpectedRevision.toString(),
    firstPosition: result.firstPosition.toString(),
    lastPosition: result.lastPosition.toString(),
    eventIds: result.eventIds,
    ...(result.requestFingerprint === undefined ? {} : { requestFingerprint: result.requestFingerprint }),
  };
  return JSON.stringify(stored);
};

/** A result read back from commands always describes an earlier write, so it is a replay. */
export const decodeResult = (json: string): AppendResult => {
  const stored = JSON.parse(json) as StoredResult;
  return {
    stream: stored.stream,
    commandId: stored.commandId,
    nextExpectedRevision: BigInt(stored.nextExpectedRevision),
    firstPosition: BigInt(stored.firstPosition),
    lastPosition: BigInt(stored.lastPosition),
    eventIds: stored.eventIds,
    replayed: true,
    ...(stored.requestFingerprint === undefined ? {} : { requestFingerprint: stored.requestFingerprint }),
  };
};
