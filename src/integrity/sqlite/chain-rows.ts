import type { Database as Db } from 'better-sqlite3';
import type { ChainRow, ChainRowSource } from '../verify-chains.ts';

/** A ChainRow with the query columns the SQLite ledger keeps beside the body. */
export type Row = [...ChainRow, eventId: string, type: string, schemaVersion: number, recordedAt: string, commandId: string];

/** The query columns are copies of fields in the stored event; each must still agree with it. */
const COLUMN_FIELDS = [
  [5, 'event_id', 'eventId'],
  [6, 'type', 'type'],
  [7, 'schema_version', 'schemaVersion'],
  [8, 'recorded_at', 'recordedAt'],
  [9, 'command_id', 'commandId'],
] as const;

/** The value of a key that occurs exactly once in the text (so at the top level), as JSON text, or undefined. */
const onlyValueStart = (body: string, key: string): number => {
  const at = body.indexOf(key);
  return at >= 0 && body.indexOf(key, at + key.length) < 0 ? at + key.length : -1;
};

/**
 * Cheap proof that the query columns agree with a canonical body, without parsing it: in
 * RFC 8785 text the last members are recordedAt, schemaVersion and type, in that order, so
 * the body must end with exactly them; and `"eventId":` and `"commandId":` (a key token cannot
 * occur inside a JSON string, whose quotes are escaped) must occur once, followed by the
 * column's value. Any doubt returns false and the caller parses the JSON, which decides.
 */
export const columnsAgreeFast = (row: Row): boolean => {
  const [, , , body, , eventId, type, schemaVersion, recordedAt, commandId] = row;
  const tail = `,"recordedAt":${JSON.stringify(recordedAt)},"schemaVersion":${schemaVersion},"type":${JSON.stringify(type)}}`;
  if (!body.endsWith(tail)) return false;
  const id = JSON.stringify(eventId);
  const idAt = onlyValueStart(body, '"eventId":');
  if (idAt < 0 || !body.startsWith(id, idAt)) return false;
  const command = JSON.stringify(commandId);
  const commandAt = onlyValueStart(body, '"commandId":');
  return commandAt >= 0 && body.startsWith(command, commandAt);
};

/** SQLite's own part of verify: a query column that no longer says what the stored event says. */
export const checkColumns = (row: Row) => {
  if (columnsAgreeFast(row)) return undefined;
  const event = JSON.parse(row[3]) as Record<string, unknown>;
  for (const [i, column, field] of COLUMN_FIELDS) {
    if (row[i] !== event[field]) {
      return {
        kind: 'column-mismatch' as const,
        message: `column ${column} says ${JSON.stringify(row[i])} but the event says ${JSON.stringify(event[field])}`,
        expected: String(event[field]),
        found: String(row[i]),
      };
    }
  }
  return undefined;
};

/**
 * The chain check's rows straight from the events table, on a connection the caller holds in
 * a read transaction (a worker thread's own, or the verify snapshot's). Positions are read as
 * numbers: one verify run indexes at most 2^53 events.
 */
export const sqliteChainRows = (db: Db): ChainRowSource<Row> => {
  const page = db
    .prepare<[number, number, number]>(
      `SELECT position, stream, revision, body, hash, event_id, type, schema_version, recorded_at, command_id
       FROM events WHERE position >= ? AND position < ? ORDER BY position LIMIT ?`,
    )
    .raw(true);
  const event = db.prepare<[string, number], { position: number; hash: string | null }>(
    'SELECT position, hash FROM events WHERE stream = ? AND revision = ?',
  );
  return {
    rows: (from, to, limit) => page.all(from, to, limit) as Row[],
    event: (stream, revision) => event.get(stream, revision),
    checkRow: checkColumns,
    // ChainRow ends in an open list of backend columns, so the tuple types this one as unknown.
    recordedAt: (row) => row[8] as string,
  };
};
