import type { EventData, JSONType, RecordedEvent } from '@kurrent/kurrentdb-client';
import type { NewEvent, StoredEvent } from '../../../events/envelope.ts';
import { hashEvent } from '../../integrity/event-hash.ts';

/**
 * Ledger events as KurrentDB holds them.
 *
 * - event id: the ledger's own eventId, so the engine and the ledger name an event the same way;
 * - type: the ledger's event type;
 * - data: the whole NewEvent (metadata and data) as appended, exactly what the chain hash covers;
 * - metadata: the chain hash the writer computed, the command id and the engine's
 *   `$correlationId`/`$causationId`, all flat strings as multi-stream appends require.
 *
 * The chain hash is over the event, the unprefixed stream name, the revision and the previous
 * hash (src/integrity/event-hash.ts): the same function as SQLite, so an event copied between
 * backends keeps its hash. Its global position is not in it: each backend numbers its own.
 */
export const toEngineEvent = (event: NewEvent, hash: string): EventData => ({
  id: event.eventId,
  contentType: 'application/json',
  type: event.type,
  data: event as unknown as JSONType,
  metadata: {
    hash,
    commandId: event.commandId,
    $correlationId: event.correlationId,
    ...(event.causationId === undefined ? {} : { $causationId: event.causationId }),
  },
});

/**
 * The chain hashes of events appended after `previousHash`, the first at `firstRevision`.
 * Throws (a TypeError) for an event JSON cannot carry, before anything is sent.
 */
export const chainHashes = (stream: string, events: NewEvent[], firstRevision: bigint, previousHash: string): string[] => {
  const hashes: string[] = [];
  let previous = previousHash;
  events.forEach((event, i) => {
    previous = hashEvent(event, { stream, revision: firstRevision + BigInt(i), previousHash: previous });
    hashes.push(previous);
  });
  return hashes;
};

/** A ledger record read from the engine whose body is not a ledger event. */
export class UnreadableRecord extends Error {}

/** The NewEvent a record holds; its body must be a JSON object naming the record's own id. */
export const newEventOf = (record: RecordedEvent): NewEvent => {
  const data: unknown = record.data;
  if (!record.isJson || typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UnreadableRecord(`the engine record ${record.id} in ${record.streamId} is not a JSON ledger event`);
  }
  const event = data as NewEvent;
  if (event.eventId !== record.id) {
    throw new UnreadableRecord(`the engine record ${record.id} in ${record.streamId} holds event ${String(event.eventId)}`);
  }
  return event;
};

/** The hash the writer recorded beside the event, when the engine hands its metadata back as JSON. */
export const claimedHash = (record: RecordedEvent): string | undefined => {
  const metadata: unknown = record.metadata;
  if (typeof metadata !== 'object' || metadata === null || metadata instanceof Uint8Array) return undefined;
  const hash = (metadata as Record<string, unknown>)['hash'];
  return typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
};

/** A record as the port hands it out: the NewEvent plus its ledger stream, revision, dense position and hash. */
export const toStoredEvent = (record: RecordedEvent, stream: string, position: bigint, hash: string): StoredEvent => {
  // The parsed body is fresh and ours, so the place in the ledger is added to it, not copied.
  const stored = newEventOf(record) as StoredEvent;
  stored.stream = stream;
  stored.revision = record.revision;
  stored.position = position;
  stored.hash = hash;
  return stored;
};
