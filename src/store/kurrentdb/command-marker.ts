import type { EventData, RecordedEvent } from '@kurrent/kurrentdb-client';
import { z } from 'zod';
import { markerEventId } from './stream-names.ts';

/**
 * Durable idempotency on KurrentDB: every command's events are appended together with one
 * marker event in the command's own stream (`ledger-meta:command-<sha256(commandId)>`), in one
 * atomic multi-stream append whose marker part expects that stream not to exist. A command id
 * used before therefore makes the whole append fail, however long ago it was used, and the
 * marker says what the first request was: its stream, its fingerprint, its events. KurrentDB's
 * own duplicate check is bounded (an in-memory window for "any" appends); this is not.
 */
export const MARKER_TYPE = 'LedgerCommandApplied';

const Marker = z.object({
  commandId: z.string().min(1),
  stream: z.string().min(1),
  requestFingerprint: z.string().optional(),
  eventIds: z.array(z.string()).min(1),
  // Decimal strings: revisions are 64-bit.
  firstRevision: z.string().regex(/^\d+$/),
  lastRevision: z.string().regex(/^\d+$/),
});

export interface CommandMarker {
  commandId: string;
  stream: string;
  requestFingerprint?: string | undefined;
  eventIds: string[];
  firstRevision: bigint;
  lastRevision: bigint;
}

export const toMarkerEvent = (marker: CommandMarker): EventData => ({
  id: markerEventId(marker.commandId, marker.eventIds),
  contentType: 'application/json',
  type: MARKER_TYPE,
  data: {
    commandId: marker.commandId,
    stream: marker.stream,
    ...(marker.requestFingerprint === undefined ? {} : { requestFingerprint: marker.requestFingerprint }),
    eventIds: marker.eventIds,
    firstRevision: marker.firstRevision.toString(),
    lastRevision: marker.lastRevision.toString(),
  },
  metadata: undefined,
});

/** A marker read back; anything else in a marker stream is damage, named as such. */
export const fromMarkerRecord = (record: RecordedEvent): CommandMarker => {
  const parsed = record.type === MARKER_TYPE ? Marker.safeParse(record.data) : undefined;
  if (!parsed?.success) throw new Error(`the command marker ${record.id} in ${record.streamId} is not a ${MARKER_TYPE} event`);
  const { requestFingerprint, firstRevision, lastRevision, ...rest } = parsed.data;
  return {
    ...rest,
    ...(requestFingerprint === undefined ? {} : { requestFingerprint }),
    firstRevision: BigInt(firstRevision),
    lastRevision: BigInt(lastRevision),
  };
};
