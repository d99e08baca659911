/**
 * A document the importer cannot take: unreadable, the wrong kind of file, too large,
 * or missing what the format requires. It names the line when there is one; the HTTP
 * layer turns it into problem details with the same code, the CLI prints it. Nothing
 * is written when one is thrown.
 */
export class ImportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly line?: number | undefined,
    readonly status: 400 | 403 | 409 | 413 | 415 | 422 = 422,
    /** Extension members for the problem details (e.g. the warnings that blocked an import). */
    readonly details?: Record<string, unknown> | undefined,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
  }
}

export const documentError = (code: string, message: string, line?: number, status: 400 | 413 | 415 | 422 = 422) =>
  new ImportError(code, message, line, status);
