/**
 * A read asked in a way no answer fits (an effectiveOn after the asOf day, a window that ends
 * before it starts, a cursor that names nothing): the HTTP layer answers 400 with `code` and
 * the parameter, the CLI prints the message.
 */
export class ReadRequestError extends Error {
  constructor(
    readonly code: string,
    /** The query parameter at fault, as the API names it. */
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}
