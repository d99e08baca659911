import { convertToCommandError, type AppendStreamRequest, type AppendStreamState } from '@kurrent/kurrentdb-client';
import errors from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/errors_pb.js';

/*
 * The KurrentDB server's rules for a multi-stream append that the in-process stand-in (NOT
 * KurrentDB) plays, and the errors as client 1.3.1 hands them to the adapter. Each error is
 * built as the gRPC status the server sends and passed through the real client's
 * convertToCommandError, so the stand-in fails the way the client would, not the way the
 * adapter expects. Sources: KurrentDB v25.1.3 src/KurrentDB.Api.V2 (StreamsService.AppendSession,
 * Validators/*, ApiErrors), proto/kurrentdb/protocol/v2/streams/errors.proto (status codes).
 */

const STATUS_NAMES: Record<number, string> = {
  3: 'INVALID_ARGUMENT',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  14: 'UNAVAILABLE',
};

/** The gRPC error grpc-js rejects with: code, details, metadata (no exception header, no rich details). */
export const grpcError = (code: number, details: string): Error =>
  Object.assign(new Error(`${code} ${STATUS_NAMES[code] ?? 'UNKNOWN'}: ${details}`), {
    code,
    details,
    metadata: { getMap: () => ({}), get: () => [] },
  });

/** One protobuf length-delimited field: tag, length, bytes (enough for google.rpc.Status and Any). */
const field = (number: number, bytes: Uint8Array): Buffer => {
  const length: number[] = [];
  for (let n = bytes.length; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([(number << 3) | 2, ...length]), bytes]);
};

/**
 * A wrong expected revision as the v2 append session reports it: FAILED_PRECONDITION with
 * StreamRevisionConflictErrorDetails in grpc-status-details-bin (ApiErrors.StreamRevisionConflict:
 * the first failing stream, its expected revision with -1 no stream, -2 any, -4 stream exists,
 * and its actual revision, -1 when it has none). The client's convertToCommandError reads it into
 * WrongExpectedVersionError.fromRevisionConflict (dist/utils/CommandError.js).
 */
export const revisionConflict = (stream: string, expected: AppendStreamState, actual: bigint | undefined): Error => {
  const constants: Record<string, string> = { no_stream: '-1', any: '-2', stream_exists: '-4' };
  const details = new errors.StreamRevisionConflictErrorDetails()
    .setStream(stream)
    .setExpectedRevision(typeof expected === 'bigint' ? expected.toString() : constants[expected]!)
    .setActualRevision((actual ?? -1n).toString())
    .serializeBinary();
  const any = Buffer.concat([
    field(1, Buffer.from('type.googleapis.com/kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails')),
    field(2, details),
  ]);
  const message = `Append failed due to a revision conflict on stream '${stream}'.`;
  const status = Buffer.concat([Buffer.from([0x08, 9]), field(2, Buffer.from(message)), field(3, any)]);
  const error = grpcError(9, message);
  (error as unknown as { metadata: { get: (key: string) => Buffer[] } }).metadata.get = (key) =>
    key === 'grpc-status-details-bin' ? [status] : [];
  return convertToCommandError(error) as Error;
};

/** What the client rejects with for a status the server sent: its own conversion of it. */
export const refusal = (code: number, details: string): Error => convertToCommandError(grpcError(code, details)) as Error;

/** A node that lost the leadership refuses a v2 append so (ApiErrors.NotLeaderNode); the client cannot tell it from any UnknownError. */
export const notLeaderRefusal = (): Error =>
  refusal(
    9,
    'The server is not the leader node and cannot handle the request. Please retry your request against the leader node directly at ' +
      'stand-in-leader:2113',
  );

/** A non-empty, non-nil UUID (RecordIdValidator: Guid.TryParse and not Guid.Empty). */
const RECORD_ID = /^(?!0{8}-0{4}-0{4}-0{4}-0{12}$)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** SchemaNameValidator: what an event type may be made of. */
const SCHEMA_NAME = /^[a-zA-Z0-9_.$:-]+$/;

/**
 * Refuses what the server refuses before it looks at any stream: a request without records, an
 * expected revision below 0 that is not one of its constants, a record id that is not a UUID, an
 * event type outside SchemaNameValidator's characters (all INVALID_ARGUMENT, which the client
 * turns into UnknownError), and a stream named twice in one session, whatever its case
 * (StreamAlreadyInAppendSession, ABORTED).
 */
export const checkAppendSession = (requests: AppendStreamRequest[]): void => {
  const seen = new Set<string>();
  for (const request of requests) {
    if (request.streamName.length === 0 || request.streamName === '$$') throw refusal(3, 'Stream must not be empty or $$.');
    if (seen.has(request.streamName.toLowerCase())) {
      throw refusal(10, `Stream '${request.streamName}' is already part of this append session.`);
    }
    seen.add(request.streamName.toLowerCase());
    if (request.events.length === 0) throw refusal(3, 'Stream append request must contain at least one record');
    if (typeof request.expectedState === 'bigint' && request.expectedState < 0n) {
      throw refusal(3, 'Expected revision must be positive or one of the allowed constants.');
    }
    for (const event of request.events) {
      if (!RECORD_ID.test(event.id)) throw refusal(3, `Record ID must be a valid and non-empty UUID. Attempted Value: ${event.id}`);
      if (!SCHEMA_NAME.test(event.type)) {
        throw refusal(3, `Schema name can only contain alphanumeric characters, underscores, dashes, periods, colons, and dollar signs.`);
      }
    }
  }
};

/**
 * The metadata a reader gets back for a record appended with properties: KurrentDB stores the
 * properties as a protobuf Struct and renders them as JSON on read, adding the schema's name and
 * format (src/KurrentDB.Core/Data/EventRecord.cs, SynthesizeMetadataFromProperties).
 */
export const metadataAsRead = (properties: Record<string, unknown> | undefined, type: string): Record<string, unknown> => ({
  ...properties,
  '$schema.name': type,
  '$schema.format': 'Json',
});
