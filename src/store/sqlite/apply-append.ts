import { IdempotencyKeyReused, sameRequest, WrongExpectedRevision, type AppendRequest, type AppendResult } from '../port.ts';
import { GENESIS_HASH, hashCanonicalEvent } from '../../integrity/event-hash.ts';
import { canonicalJson } from '../../integrity/canonical-json.ts';
import { clockBehind, ledgerTimeFor, type ClockBehind } from '../ledger-time.ts';
import { decodeResult, encodeResult } from './codec.ts';
import { satisfies } from '../append-rules.ts';
import type { Statements } from './statements.ts';

/**
 * Applies one append request. Must run inside the write transaction (and its own
 * savepoint): every check reads the database, not a cache, because another process
 * may have written since this one last looked, and the write lock makes the answer hold
 * until COMMIT. Throws to have the caller roll the savepoint back. An event stamped earlier
 * than the ledger's last one is stored at the ledger's time (see ledger-time.ts).
 */
export const applyAppend = (s: Statements, request: AppendRequest, onClockBehind?: (report: ClockBehind) => void): AppendResult => {
  // Replay first: a retried command must get its original answer even though its
  // expected revision is now stale.
  const prior = s.findCommand.get(request.commandId);
  if (prior) {
    const earlier = decodeResult(prior.result);
    if (!sameRequest(earlier, request.stream, request.requestFingerprint)) throw new IdempotencyKeyReused(request.commandId);
    return earlier;
  }

  // The stream's head revision and chain hash in one indexed read.
  const streamHead = s.streamHead.get(request.stream);
  const actual = streamHead?.revision;
  if (!satisfies(request.expectedRevision, actual)) {
    throw new WrongExpectedRevision(request.stream, request.expectedRevision, actual);
  }

  const head = s.ledgerHead.get();
  const firstPosition = head === undefined ? 0n : head.position + 1n;
  let position = firstPosition;
  let revision = actual === undefined ? 0n : actual + 1n;
  let previousHash = streamHead?.hash ?? GENESIS_HASH;
  // Read under the write lock, so no process can commit an earlier time after a later one.
  let ledgerTime = head?.recordedAt;
  const now = request.clock?.().toISOString();
  for (const given of request.events) {
    const stamped = now === undefined ? given.recordedAt : ledgerTimeFor(now, given.recordedAt);
    const recordedAt = ledgerTimeFor(stamped, ledgerTime);
    if (recordedAt !== stamped) onClockBehind?.(clockBehind(stamped, recordedAt));
    const event = recordedAt === given.recordedAt ? given : { ...given, recordedAt };
    ledgerTime = recordedAt;
    // The body is stored in canonical form, so the chain hash is over exactly the stored
    // text and verify can rehash it without re-serialising. Computed here, inside the write
    // transaction, from the previous hash as committed: no event is ever stored without it.
    const body = canonicalJson(event);
    const hash = hashCanonicalEvent(body, { stream: request.stream, revision, previousHash });
    s.insertEvent.run(
      position,
      request.stream,
      revision,
      event.eventId,
      event.type,
      event.schemaVersion,
      event.recordedAt,
      event.commandId,
      body,
      hash,
    );
    previousHash = hash;
    position++;
    revision++;
  }

  const result: AppendResult = {
    stream: request.stream,
    commandId: request.commandId,
    nextExpectedRevision: revision - 1n,
    firstPosition,
    lastPosition: position - 1n,
    eventIds: request.events.map((event) => event.eventId),
    replayed: false,
    ...(request.requestFingerprint === undefined ? {} : { requestFingerprint: request.requestFingerprint }),
  };
  s.insertCommand.run(request.commandId, request.stream, encodeResult(result));
  return result;
};
