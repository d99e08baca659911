import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/integrity/canonical-json.ts';
import { hashCanonicalEvent } from '../../src/integrity/event-hash.ts';
import { makeEvent } from '../support/events.ts';
import { seedPlans, useLedger } from './ledger-fixture.ts';

/**
 * A ledger written before ledger time was enforced may already hold a step back in recordedAt
 * (a server restarted with its clock behind). Its events are genuine, so verify passes it and
 * names each step back as a clock anomaly, never as tampering.
 */
describe.each([1, 2])('verify reports recordedAt going backwards as a clock anomaly (%i thread(s))', (workers) => {
  const ctx = useLedger();

  /** Appends an event to a plan as the store did before ledger time: stamped with whatever the clock said. */
  const appendAsBefore = (stream: string, recordedAt: string) => {
    const db = new Database(ctx.file);
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
    db.close();
    return position;
  };

  it('passes the ledger and lists where ledger time stepped back, with both instants', async () => {
    await seedPlans(ctx.store, 6);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    const stepped = appendAsBefore('plan-devon', twoHoursAgo);
    await seedPlans(ctx.store, 2, 'after');
    await ctx.ledger.checkpointNow();
    const report = await ctx.ledger.verify(undefined, { workers });
    expect(report.ok).toBe(true);
    expect(report.failure).toBeUndefined();
    expect(report.clockAnomalies).toEqual({
      stepsBack: 1,
      listed: [{ position: String(stepped), previous: expect.any(String), recordedAt: twoHoursAgo }],
    });
    expect(Date.parse(report.clockAnomalies!.listed[0]!.previous)).toBeGreaterThan(Date.parse(twoHoursAgo));
  });

  it('reports nothing for a ledger whose time never went backwards', async () => {
    await seedPlans(ctx.store, 12);
    await ctx.ledger.checkpointNow();
    const report = await ctx.ledger.verify(undefined, { workers });
    expect(report.ok).toBe(true);
    expect(report.clockAnomalies).toBeUndefined();
  });
});
