/**
 * Domain errors carry a stable code and the HTTP meaning of the failure, so one
 * handler can turn any of them into problem details without knowing the rule.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** 404 not found, 409 conflicts with what the ledger already holds, 422 the request contradicts itself or the calendar. */
    readonly status: 404 | 409 | 422,
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string) => new DomainError(code, message, 404);
export const conflict = (code: string, message: string) => new DomainError(code, message, 409);
export const unprocessable = (code: string, message: string) => new DomainError(code, message, 422);
