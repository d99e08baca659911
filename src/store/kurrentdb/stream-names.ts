import { v5 as uuidv5 } from 'uuid';
import { sha256Hex } from '../../integrity/event-hash.ts';

/**
 * How the ledger's streams are named inside KurrentDB.
 *
 * Every ledger stream carries the prefix `ledger:` in the engine, so the ledger is exactly the
 * events of `$all` whose stream starts with it: one server-side prefix filter finds them, and
 * nothing else in the engine (system streams, command markers, other applications) is counted
 * in the ledger's positions. Hashes use the unprefixed name, so an event hashes the same here
 * as on SQLite and keeps its hash when copied between backends.
 *
 * Bookkeeping that is not ledger history lives under `ledger-meta:` (note the dash: it does not
 * match the `ledger:` filter).
 */
export const LEDGER_PREFIX = 'ledger:';
export const META_PREFIX = 'ledger-meta:';

export const engineStreamName = (stream: string): string => `${LEDGER_PREFIX}${stream}`;

/** The ledger stream an engine stream holds, or undefined for a stream outside the ledger. */
export const ledgerStreamName = (engineStream: string): string | undefined =>
  engineStream.startsWith(LEDGER_PREFIX) ? engineStream.slice(LEDGER_PREFIX.length) : undefined;

/**
 * The stream holding one command's marker. Command ids are caller-chosen text of up to 200
 * characters; their SHA-256 gives every one a short name of the same shape, whatever it contains.
 */
export const markerStreamName = (commandId: string): string => `${META_PREFIX}command-${sha256Hex(commandId)}`;

/** A fixed namespace for marker event ids (a random v4 uuid chosen once for this purpose). */
const MARKER_NAMESPACE = '7d0f3c52-5b9e-4b8e-9f5a-2f64c1d7a9e3';

/**
 * The marker's event id, derived from the command id and the ids of the events it records.
 * Resending the identical request after a lost answer sends the identical marker, which the
 * engine's own duplicate check may recognise; any other request reusing the command id has
 * other event ids, so its marker can never pass for the recorded one and is always refused.
 */
export const markerEventId = (commandId: string, eventIds: readonly string[]): string =>
  uuidv5(`command:${commandId}:${eventIds.join(',')}`, MARKER_NAMESPACE);
