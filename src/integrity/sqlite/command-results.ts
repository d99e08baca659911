import type { Database as Db } from 'better-sqlite3';
import type { IntegrityFailure } from '../verify-report.ts';

const PAGE = 5_000;

/** commands.result as the store encodes it (src/store/sqlite/codec.ts). */
interface StoredResult {
  stream?: unknown;
  commandId?: unknown;
  nextExpectedRevision?: unknown;
  firstPosition?: unknown;
  lastPosition?: unknown;
  eventIds?: unknown;
}

type EventRow = [position: number, stream: string, revision: number, eventId: string, commandId: string];

/** The command being walked: its stored result and where its events must lie. */
interface Current {
  id: string;
  result: StoredResult;
  eventIds: unknown[];
  first: number;
  last: number;
}

const isDecimal = (value: unknown): value is string => typeof value === 'string' && /^(0|[1-9]\d*)$/.test(value);

/**
 * The commands table against the events: every append stored one row whose result is what a
 * retried Idempotency-Key is answered with, so an edited result makes a retry return the wrong
 * events, and a deleted one lets a retry run the command twice. Walks the events in ledger
 * order: each command's events must be the contiguous run its result names (its positions,
 * its event ids in order, its stream, the revision it ended at), every event must belong to a
 * stored command, and there must be no result that names no events. The request fingerprint
 * beside it is a digest of the request, which no event holds: it cannot be checked here.
 */
export const checkCommandResults = (db: Db, size: number): IntegrityFailure | undefined => {
  const page = db
    .prepare<[number, number, number]>(
      'SELECT position, stream, revision, event_id, command_id FROM events WHERE position >= ? AND position < ? ORDER BY position LIMIT ?',
    )
    .raw(true);
  const find = db.prepare<[string], { stream: string; result: string }>('SELECT stream, result FROM commands WHERE command_id = ?');
  let current: Current | undefined;
  let commandsSeen = 0;

  const mismatch = (row: EventRow, message: string, expected: string, found: string): IntegrityFailure => ({
    kind: 'command-result-mismatch',
    stream: row[1],
    revision: String(row[2]),
    position: String(row[0]),
    message: `the stored result of command ${current?.id ?? row[4]} ${message}: a retry with its Idempotency-Key would be answered wrongly`,
    expected,
    found,
  });

  /** A command whose first event is `row`: its stored result must start here and name a run of events. */
  const begin = (row: EventRow): IntegrityFailure | undefined => {
    const [position, stream, , , commandId] = row;
    const stored = find.get(commandId);
    if (!stored) {
      return {
        kind: 'command-result-missing',
        stream,
        revision: String(row[2]),
        position: String(position),
        message:
          `no stored result for command ${commandId}, whose events start at position ${position}: the row was deleted (or ` +
          `its id changed), so a retry with its Idempotency-Key would run the command again`,
        expected: commandId,
        found: '(none)',
      };
    }
    let result: StoredResult;
    try {
      result = JSON.parse(stored.result) as StoredResult;
    } catch {
      current = undefined;
      return mismatch(row, 'is not JSON', 'JSON', stored.result.slice(0, 80));
    }
    const eventIds = Array.isArray(result.eventIds) ? (result.eventIds as unknown[]) : [];
    current = { id: commandId, result, eventIds, first: Number(result.firstPosition), last: Number(result.lastPosition) };
    commandsSeen++;
    if (result.commandId !== commandId) return mismatch(row, 'names another command id', commandId, String(result.commandId));
    if (result.stream !== stream || stored.stream !== stream)
      return mismatch(row, 'names another stream', stream, `${String(result.stream)}`);
    if (!isDecimal(result.firstPosition) || current.first !== position)
      return mismatch(
        row,
        `says its events start at position ${String(result.firstPosition)}`,
        String(position),
        String(result.firstPosition),
      );
    if (!isDecimal(result.lastPosition) || eventIds.length !== current.last - current.first + 1)
      return mismatch(row, `names ${eventIds.length} event(s) but positions ${current.first}–${String(result.lastPosition)}`, '', '');
    return undefined;
  };

  for (let next = 0; next < size;) {
    const rows = page.all(next, size, PAGE) as EventRow[];
    if (rows.length === 0) break; // a gap: the chain check names it
    for (const row of rows) {
      const [position, , revision, eventId, commandId] = row;
      if (!current || commandId !== current.id || position > current.last) {
        if (current && position <= current.last)
          return mismatch(
            row,
            `says its events run to position ${current.last}, but position ${position} is another command's`,
            current.id,
            commandId,
          );
        const failure = begin(row);
        if (failure) return failure;
      }
      const c = current!;
      const named = c.eventIds[position - c.first];
      if (named !== eventId) return mismatch(row, `names event ${String(named)} at position ${position}`, eventId, String(named));
      if (position === c.last && String(revision) !== c.result.nextExpectedRevision)
        return mismatch(
          row,
          `says the stream ended at revision ${String(c.result.nextExpectedRevision)}`,
          String(revision),
          String(c.result.nextExpectedRevision),
        );
      next = position + 1;
    }
  }
  if (current && current.last >= size)
    return {
      kind: 'command-result-mismatch',
      position: String(size),
      message: `the stored result of command ${current.id} names events up to position ${current.last}, but the ledger ends at ${size - 1}`,
      expected: String(size - 1),
      found: String(current.last),
    };
  return extraResult(db, commandsSeen, size);
};

/** More stored results than commands in the ledger: name one that no events belong to. */
const extraResult = (db: Db, commandsSeen: number, size: number): IntegrityFailure | undefined => {
  // Only results for this view's events: a running service may have appended more since it was taken.
  const { n } = db
    .prepare<[number], { n: number }>(
      "SELECT count(*) AS n FROM commands WHERE coalesce(CAST(json_extract(result, '$.firstPosition') AS INTEGER), -1) < ?",
    )
    .get(size)!;
  if (n <= commandsSeen) return undefined;
  const eventAt = db.prepare<[number], { command_id: string }>('SELECT command_id FROM events WHERE position = ?');
  for (const { command_id: id, result } of db
    .prepare<[], { command_id: string; result: string }>('SELECT command_id, result FROM commands')
    .iterate()) {
    let first: number;
    try {
      first = Number((JSON.parse(result) as StoredResult).firstPosition);
    } catch {
      first = Number.NaN;
    }
    if (first >= size || eventAt.get(first)?.command_id === id) continue;
    return {
      kind: 'command-result-mismatch',
      ...(Number.isInteger(first) ? { position: String(first) } : {}),
      message: `the stored result of command ${id} names events that are not that command's: a result was added or rewritten by hand`,
      expected: '(no such command)',
      found: id,
    };
  }
  return undefined;
};
