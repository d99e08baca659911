import { v7 as uuidv7 } from 'uuid';
import type { Actor, NewEvent } from '../../events/envelope.ts';
import type { EventStore } from '../store/port.ts';
import type { RecordedRotation } from './key-history.ts';
import { KEY_HISTORY_STREAM, KEY_ROTATED, type KeyRotation } from './key-rotation.ts';

/**
 * Records a key rotation in the ledger, in its key stream, after the rotations already read:
 * if another process recorded one meanwhile, the append fails (WrongExpectedRevision) rather
 * than let two new keys each claim to follow the same old one.
 */
export const recordRotation = async (
  events: Pick<EventStore, 'append'>,
  rotation: KeyRotation,
  after: RecordedRotation[],
  actor: Actor,
  now: Date,
  /** Read again as the event is written: a rotation waiting for the write lock is recorded when written, as a command's events are. */
  clock: () => Date = () => new Date(),
): Promise<RecordedRotation> => {
  const commandId = uuidv7();
  const event: NewEvent = {
    eventId: uuidv7(),
    type: KEY_ROTATED,
    schemaVersion: 1,
    recordedAt: now.toISOString(),
    effectiveOn: { date: now.toISOString().slice(0, 10), precision: 'day' },
    actor,
    reason: rotation.reason,
    commandId,
    correlationId: commandId,
    provenance: { source: 'cli' },
    data: rotation,
  };
  const result = await events.append({
    stream: KEY_HISTORY_STREAM,
    events: [event],
    expectedRevision: after.length === 0 ? 'noStream' : BigInt(after.length - 1),
    commandId,
    clock,
  });
  return { ...rotation, position: result.firstPosition };
};
