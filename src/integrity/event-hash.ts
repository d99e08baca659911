import { hash } from 'node:crypto';
import type { NewEvent } from '../../events/envelope.ts';
import { canonicalJson, referenceCanonicalJson } from './canonical-json.ts';

/**
 * The per-stream hash chain, the same on every backend.
 *
 *   hash = SHA-256( JCS({ event, previousHash, revision, stream }) )   (lower-case hex)
 *
 * `event` is the whole NewEvent (metadata and data) as appended; `revision` counts from 0
 * in the stream, written as a decimal string; `previousHash` is the hash of revision − 1, or GENESIS_HASH for revision 0.
 * The global position is deliberately left out: each backend assigns its own, and the same
 * event must hash the same everywhere. The stream and revision are in, so an event cannot be
 * moved to another stream or place without its hash changing.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainLink {
  stream: string;
  revision: bigint | number;
  previousHash: string;
}

/**
 * The revision as a decimal string, not a JSON number: revisions are 64-bit on every backend,
 * and a JSON number past 2^53 would not survive a round trip through a double.
 */
const revisionText = (revision: bigint | number): string => {
  const n = BigInt(revision);
  if (n < 0n) throw new RangeError(`revision ${revision} is negative`);
  return n.toString();
};

/**
 * The preimage from an event's canonical text. Keys in JCS order (event < previousHash <
 * revision < stream), so this string is exactly JCS of the whole object (tested against the
 * reference), built without re-serialising the event.
 */
export const chainPreimage = (canonicalEvent: string, link: ChainLink): string => {
  // A length check only: this runs once per event on the append and verify paths, and a
  // non-hex value of the right length simply gives a hash that matches nothing.
  if (link.previousHash.length !== 64) throw new TypeError(`previousHash must be 64 hex digits, got ${link.previousHash}`);
  const { previousHash } = link;
  const revision = revisionText(link.revision);
  return `{"event":${canonicalEvent},"previousHash":"${previousHash}","revision":"${revision}","stream":${canonicalJson(link.stream)}}`;
};

export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/** Hash of an event already in canonical text (what the SQLite store keeps as the body). */
export const hashCanonicalEvent = (canonicalEvent: string, link: ChainLink): string => sha256Hex(chainPreimage(canonicalEvent, link));

/** Hash of an event object, on the append path. */
export const hashEvent = (event: NewEvent | Record<string, unknown>, link: ChainLink): string =>
  hashCanonicalEvent(canonicalJson(event), link);

/**
 * The same hash computed the plainest way, with the `canonicalize` library over the whole
 * object: what verify-export and a hand check do. Any difference from hashEvent is a bug.
 */
export const referenceEventHash = (event: unknown, link: ChainLink): string => {
  if (!/^[0-9a-f]{64}$/.test(link.previousHash)) throw new TypeError(`previousHash must be 64 hex digits, got ${link.previousHash}`);
  return sha256Hex(
    referenceCanonicalJson({
      event,
      previousHash: link.previousHash,
      revision: revisionText(link.revision),
      stream: link.stream,
    }),
  );
};
