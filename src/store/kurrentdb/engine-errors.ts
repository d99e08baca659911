import {
  convertToCommandError,
  ErrorType,
  isCommandError,
  NotLeaderError,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { AppendTooLarge, StoreUnavailable } from '../port.ts';

/** gRPC status codes (grpc's status.proto) the client leaves unconverted on some paths. */
const GRPC = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, PERMISSION_DENIED: 7, FAILED_PRECONDITION: 9, INTERNAL: 13, UNAVAILABLE: 14 };

/** Raw transport codes that mean "not reached" or "no answer in time", when such an error escapes the client unconverted. */
const TRANSIENT_GRPC_CODES = new Set([GRPC.CANCELLED, GRPC.DEADLINE_EXCEEDED, GRPC.INTERNAL, GRPC.UNAVAILABLE]);

/** The client's errors for a call that may succeed if sent again, to the same node or the one the client finds next. */
const TRANSIENT_TYPES = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.CANCELLED,
  ErrorType.NOT_LEADER,
]);

const TOO_LARGE_TYPES = new Set<string>([
  ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED,
  ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED,
  ErrorType.APPEND_RECORD_SIZE_EXCEEDED,
]);

/**
 * The client's own error for what was thrown. Some paths (a multi-stream append's transport
 * error, for one) reject with the raw gRPC error; the client's converter turns those into the
 * same typed errors its other paths throw. The converter reads `details` of anything with a
 * numeric code, so an error of another shape is kept as it is rather than break it.
 */
const normalise = (error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  try {
    return convertToCommandError(error);
  } catch {
    return error;
  }
};

const grpcCode = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
};

/** The refusal of an append whose expected revision did not hold, or undefined for any other error. */
export const wrongExpectedVersion = (error: unknown): WrongExpectedVersionError | undefined => {
  const converted = normalise(error);
  return converted instanceof WrongExpectedVersionError ? converted : undefined;
};

export const isStreamNotFound = (error: unknown): boolean => {
  const converted = normalise(error);
  return converted instanceof Error && isCommandError(converted) && converted.type === ErrorType.STREAM_NOT_FOUND;
};

/**
 * Whether the node that answered is not the cluster's leader. Reads and v1 appends say so with
 * NotLeaderError. A multi-stream append goes through the v2 API, whose refusal is
 * FAILED_PRECONDITION with NotLeaderNodeErrorDetails (KurrentDB 25.1 src/KurrentDB.Api.V2/Modules/ApiErrors.cs,
 * NotLeaderNode); client 1.3.1 knows no such details (dist/utils/CommandError.js, the FAILED_PRECONDITION
 * branch of convertToCommandError) and hands back an UnknownError carrying the code and the
 * server's message ("The server is not the leader node …"), which is what is recognised here.
 */
export const isNotLeader = (error: unknown): boolean => {
  const converted = normalise(error);
  if (converted instanceof NotLeaderError) return true;
  return grpcCode(converted) === GRPC.FAILED_PRECONDITION && /not the leader/i.test((converted as Error).message ?? '');
};

/**
 * Whether the engine refused the credentials or the permission. A wrong password is
 * UNAUTHENTICATED, which the client turns into AccessDeniedError; a user without the right on a
 * stream gets PERMISSION_DENIED from the v2 API (ApiErrors.AccessDenied), which client 1.3.1 does
 * not convert (convertToCommandError has no case for it) and hands back as an UnknownError.
 */
export const isAccessDenied = (error: unknown): boolean => {
  const converted = normalise(error);
  if (!(converted instanceof Error)) return false;
  return (isCommandError(converted) && converted.type === ErrorType.ACCESS_DENIED) || grpcCode(converted) === GRPC.PERMISSION_DENIED;
};

/**
 * A cluster connection string (several hosts, or `kurrentdb+discover://`) finds its node by
 * gossip first; when no node answers, the client rejects gRPC calls with a plain Error and no
 * code (dist/Client/discovery.js: "Failed to discover after N attempts.").
 */
const isDiscoveryFailure = (error: unknown): boolean =>
  error instanceof Error && !isCommandError(error) && /^Failed to discover after \d+ attempts/.test(error.message);

/**
 * Whether the same call may succeed if made again: the engine could not be reached, did not
 * answer in time, or the node is no longer the leader (the client, or leader-following-client.ts,
 * finds the new one). An append is resent only for these; a refusal would be refused again.
 */
export const isTransient = (error: unknown): boolean => {
  const converted = normalise(error);
  if (!(converted instanceof Error)) return false;
  if (isDiscoveryFailure(converted) || isNotLeader(converted)) return true;
  if (isCommandError(converted)) return TRANSIENT_TYPES.has(converted.type);
  const code = grpcCode(converted);
  return code !== undefined && TRANSIENT_GRPC_CODES.has(code);
};

/**
 * Whether the error is the engine's rather than ours: it could not be reached, did not answer,
 * failed inside (the client's UnknownError), or refused the ledger's user. The HTTP layer
 * answers these 503, never 500.
 */
export const isUnreachable = (error: unknown): boolean => {
  const converted = normalise(error);
  if (isTransient(converted) || isAccessDenied(converted)) return true;
  return converted instanceof Error && isCommandError(converted) && converted.type === ErrorType.UNKNOWN;
};

/** A few words on why, for the message: the client's error type, or what was recognised. */
const reason = (converted: unknown): string => {
  if (isNotLeader(converted)) return 'the node is no longer the leader; finding the new one';
  if (isDiscoveryFailure(converted)) return 'no node of the cluster answered';
  return converted instanceof Error && isCommandError(converted) ? converted.type : 'unreachable';
};

/**
 * The port's error for an engine failure: StoreUnavailable (the HTTP layer answers 503) for an
 * engine that cannot be reached, failed, or refused the ledger's user, AppendTooLarge for a
 * write beyond the engine's size limit, and anything else unchanged: a logic error of ours must
 * not hide behind "unavailable".
 */
export const translateEngineError = (error: unknown, address: string, doing: string): unknown => {
  if (error instanceof StoreUnavailable || error instanceof AppendTooLarge) return error;
  const converted = normalise(error);
  if (converted instanceof Error && isCommandError(converted) && TOO_LARGE_TYPES.has(converted.type)) {
    return new AppendTooLarge(`KurrentDB at ${address} refused ${doing}: larger than its append size limit (${converted.type})`);
  }
  if (converted instanceof UnsupportedError) {
    return new StoreUnavailable(
      `KurrentDB at ${address} cannot serve the ledger: ${converted.feature} needs KurrentDB ${converted.minimumVersion} or later`,
      converted,
    );
  }
  if (isAccessDenied(converted)) {
    return new StoreUnavailable(
      `KurrentDB at ${address} refused ${doing}: access denied to the user in LEDGER_STORE (see docs/deploying.md, Users)`,
      converted,
    );
  }
  if (isUnreachable(converted)) {
    return new StoreUnavailable(`KurrentDB at ${address} did not answer ${doing} (${reason(converted)})`, converted);
  }
  return error;
};
