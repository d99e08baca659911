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
  const { before, past } = readResultSpans(db, size);
  return (before > commandsSeen ? extraResult(db, size) : undefined) ?? resultPastEnd(db, past);
};

/** Where a stored result says its events lie (null where it does not say). */
interface ResultSpan {
  id: string;
  first: number | null;
  last: number | null;
}

/**
 * One pass over the stored results, reading only their two positions: how many start before the
 * view's end (or say nowhere), and those that start at or after it, in ledger order.
 */
const readResultSpans = (db: Db, size: number): { before: number; past: ResultSpan[] } => {
  let before = 0;
  const past: ResultSpan[] = [];
  const spans = db.prepare<[], ResultSpan>(
    `SELECT command_id AS id, CAST(json_extract(result, '$.firstPosition') AS INTEGER) AS first,
       CAST(json_extract(result, '$.lastPosition') AS INTEGER) AS last FROM commands`,
  );
  for (const span of spans.iterate()) {
    if (span.first === null || span.first < size) before++;
    else past.push(span);
  }
  return { before, past: past.sort((a, b) => a.first! - b.first!) };
};

/**
 * A stored result naming events after the view's end must find them in this read transaction,
 * which sees each append's result and events together: a running service may have appended
 * since the view was taken, but a result whose events the file no longer holds is what is left
 * when events were cut off the end (with the checkpoint rows over them, which alone verifies).
 */
const resultPastEnd = (db: Db, past: ResultSpan[]): IntegrityFailure | undefined => {
  if (past.length === 0) return undefined;
  const { end } = db.prepare<[], { end: number }>('SELECT coalesce(max(position), -1) AS end FROM events').get()!;
  const eventAt = db.prepare<[number], { command_id: string }>('SELECT command_id FROM events WHERE position = ?');
  for (const { id, first, last } of past) {
    const atFirst = eventAt.get(first!)?.command_id;
    if (last !== null && last <= end && atFirst === id && eventAt.get(last)?.command_id === id) continue;
    const cut = last === null || last > end;
    return {
      kind: 'command-result-past-end',
      position: String(first),
      message: cut
        ? `the stored result of command ${id} names events at positions ${first}–${last}, but the ledger ends at ${end}: ` +
          'events were cut off its end, and a retry with its Idempotency-Key would be answered with events the ledger no longer holds'
        : `the stored result of command ${id} names events at positions ${first}–${last} that are not that command's: ` +
          'events were cut off the end and others written in their place',
      expected: cut ? String(end) : id,
      found: cut ? String(last) : (atFirst ?? '(none)'),
    };
  }
  return undefined;
};

/** More stored results start before the view's end than commands in it: name one that no events belong to. */
const extraResult = (db: Db, size: number): IntegrityFailure | undefined => {
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
      message:
        `the stored result of command ${id} names events that are not that command's: a result was added or rewritten by ` +
        'hand, or its events were cut off the end of the ledger and others written in their place',
      expected: '(no such command)',
      found: id,
    };
  }
  return undefined;
};
