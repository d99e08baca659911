/**
 * A read over the history met a change it cannot read through: the history was rebuilt under it,
 * or another process committed to the read store while it walked the plans. Nothing is wrong
 * with the request: asking again answers (the HTTP layer says 503 `read-model-changed`, with
 * Retry-After).
 */
export class HistoryChanged extends Error {
  constructor(readonly what: 'rebuilt' | 'changed') {
    super(`the history was ${what} while this read ran: ask again`);
  }
}
