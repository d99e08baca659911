import Database from 'better-sqlite3';
import { canonicalJson } from '../../src/integrity/canonical-json.ts';
import { hashCanonicalEvent } from '../../src/integrity/event-hash.ts';
import { makeEvent } from './events.ts';

/**
 * Appends one event to a stream of the SQLite ledger file as the store did before it kept ledger
 * time: stamped with whatever the clock said, earlier than the event ahead of it if so. Such
 * events are genuine in ledgers written then (a server restarted with its clock behind); the
 * store no longer writes them, so they are written here row by row, chained as the store chains.
 * Returns the event's position.
 */
export const appendStampedAsBefore = (file: string, stream: string, recordedAt: string): number => {
  const db = new Database(file);
  try {
    const head = db.prepare<[], { position: number }>('SELECT max(position) AS position FROM events').get()!;
    const last = db
      .prepare<[string], { revision: number; hash: string }>(
        'SELECT revision, hash FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      )
      .get(stream)!;
    const commandId = `clock-behind-${head.position + 1}`;
    const event = makeEvent({ recordedAt, commandId, correlationId: commandId });
    const body = canonicalJson(event);
    const revision = last.revision + 1;
    const hash = hashCanonicalEvent(body, { stream, revision, previousHash: last.hash });
    const position = head.position + 1;
    db.prepare(
      `INSERT INTO events (position, stream, revision, event_id, type, schema_version, recorded_at, command_id, body, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(position, stream, revision, event.eventId, event.type, event.schemaVersion, recordedAt, commandId, body, hash);
    const result = {
      stream,
      commandId,
      nextExpectedRevision: String(revision),
      firstPosition: String(position),
      lastPosition: String(position),
      eventIds: [event.eventId],
    };
    db.prepare('INSERT INTO commands (command_id, stream, result) VALUES (?, ?, ?)').run(commandId, stream, JSON.stringify(result));
    return position;
  } finally {
    db.close();
  }
};
