import { v5 as uuidv5 } from 'uuid';
import { sha256Hex } from '../../integrity/event-hash.ts';

/**
 * How a ledger's streams are named inside KurrentDB.
 *
 * Every ledger stream carries the prefix `<namespace>:` (by default `ledger:`), so the ledger is
 * exactly the events of `$all` whose stream starts with it: one server-side prefix filter finds
 * them, and nothing else in the engine (system streams, command markers, other applications,
 * another ledger under another namespace) is counted in its positions. Hashes use the
 * unprefixed name, so an event hashes the same here as on SQLite and keeps its hash when copied
 * between backends.
 *
 * The ledger's bookkeeping lives under `<namespace>-meta:` (note the dash: it does not match the
 * ledger's filter): command markers, signed checkpoints, API keys, the access log, learned aliases.
 */
export const ledgerNames = (namespace = 'ledger') => {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(namespace) || namespace.endsWith('-meta')) {
    throw new RangeError(
      `a ledger namespace is lower-case letters, digits and dashes, not ending in -meta; got ${JSON.stringify(namespace)}`,
    );
  }
  const prefix = `${namespace}:`;
  const meta = `${namespace}-meta:`;
  return {
    namespace,
    /** What every ledger stream's engine name starts with. */
    prefix,
    engineStream: (stream: string): string => `${prefix}${stream}`,
    /** The ledger stream an engine stream holds, or undefined for a stream outside the ledger. */
    ledgerStream: (engineStream: string): string | undefined =>
      engineStream.startsWith(prefix) ? engineStream.slice(prefix.length) : undefined,
    /**
     * The stream holding one command's marker. Command ids are caller-chosen text of up to 200
     * characters; their SHA-256 gives every one a short name of the same shape, whatever it contains.
     */
    markerStream: (commandId: string): string => `${meta}command-${sha256Hex(commandId)}`,
    checkpoints: `${meta}checkpoints`,
    apiKeys: `${meta}api-keys`,
    accessLog: `${meta}access-log`,
    /** One event per archived period of the access log (src/access/kurrentdb/access-log-retention-streams.ts). */
    accessLogArchives: `${meta}access-log-archives`,
    organisationAliases: `${meta}organisation-aliases`,
    startupProbe: `${meta}startup-probe`,
    /** Outcomes of backups and verifications (src/operations/kurrentdb/). */
    operations: `${meta}operations`,
    /** One stream per scheduled occurrence of a task: its first event is the claim of the instance that takes it. */
    scheduleClaim: (task: string, slot: string): string => `${meta}schedule-${sha256Hex(`${task}\n${slot}`)}`,
  };
};
export type LedgerNames = ReturnType<typeof ledgerNames>;

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
