import { convertToCommandError, ErrorType, isCommandError, UnsupportedError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { AppendTooLarge, StoreUnavailable } from '../port.ts';

/** gRPC status codes that mean "not reached" or "no answer in time" when a raw transport error escapes the client. */
const UNREACHABLE_GRPC_CODES = new Set([
  1, // CANCELLED (by the server or a proxy going away)
  4, // DEADLINE_EXCEEDED
  13, // INTERNAL
  14, // UNAVAILABLE
]);

const UNREACHABLE_TYPES = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.CANCELLED,
  ErrorType.NOT_LEADER,
  ErrorType.UNKNOWN,
  ErrorType.ACCESS_DENIED,
]);

const TOO_LARGE_TYPES = new Set<string>([
  ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED,
  ErrorType.TRANSACTION_MAX_SIZE_EXCEEDED,
  ErrorType.APPEND_RECORD_SIZE_EXCEEDED,
]);

/**
 * The client's own error for what was thrown. Some paths (a multi-stream append's transport
 * error, for one) reject with the raw gRPC error; the client's converter turns those into the
 * same typed errors its other paths throw.
 */
const normalise = (error: unknown): unknown => (error instanceof Error ? convertToCommandError(error) : error);

/** The refusal of an append whose expected revision did not hold, or undefined for any other error. */
export const wrongExpectedVersion = (error: unknown): WrongExpectedVersionError | undefined => {
  const converted = normalise(error);
  return converted instanceof WrongExpectedVersionError ? converted : undefined;
};

export const isStreamNotFound = (error: unknown): boolean => {
  const converted = normalise(error);
  return converted instanceof Error && isCommandError(converted) && converted.type === ErrorType.STREAM_NOT_FOUND;
};

/** Whether the error says the engine could not be reached, did not answer in time, or failed inside. */
export const isUnreachable = (error: unknown): boolean => {
  const converted = normalise(error);
  if (!(converted instanceof Error)) return false;
  if (isCommandError(converted)) return UNREACHABLE_TYPES.has(converted.type);
  const code = (converted as { code?: unknown }).code;
  return typeof code === 'number' && UNREACHABLE_GRPC_CODES.has(code);
};

/**
 * The port's error for an engine failure: StoreUnavailable (the HTTP layer answers 503) for an
 * engine that cannot be reached or failed, AppendTooLarge for a write beyond the engine's size
 * limit, and anything else unchanged: a logic error of ours must not hide behind "unavailable".
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
  if (isUnreachable(converted)) {
    const why = converted instanceof Error && isCommandError(converted) ? converted.type : 'unreachable';
    return new StoreUnavailable(`KurrentDB at ${address} did not answer ${doing} (${why})`, converted);
  }
  return error;
};
