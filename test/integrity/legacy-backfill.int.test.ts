import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, referenceEventHash } from '../../src/integrity/event-hash.ts';
import { openLedgerIntegrity } from '../support/sqlite-integrity.ts';
import { migrations } from '../../src/store/sqlite/schema.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { collect } from '../support/collect.ts';
import { makeEvents } from '../support/events.ts';
import { useLedger } from './ledger-fixture.ts';

describe('a ledger written before the hash chain (schema 1)', () => {
  const ctx = useLedger();

  it('gets chain hashes for its old events on upgrade, verifies, and chains new events onto them', async () => {
    await ctx.ledger.close();
    await ctx.store.close();
    // Rebuild the file as schema 1 wrote it: bodies by JSON.stringify (not canonical), no hashes.
    rmSync(ctx.file, { force: true });
    const old = new Database(ctx.file);
    old.exec(migrations[0] as string);
    old.pragma('user_version = 1');
    const insert = old.prepare(
      'INSERT INTO events (position, stream, revision, event_id, type, schema_version, recorded_at, command_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const events = makeEvents(3);
    events.forEach((e, i) =>
      insert.run(i, 'plan-old', i, e.eventId, e.type, e.schemaVersion, e.recordedAt, e.commandId, JSON.stringify(e)),
    );
    // The command's stored result, as schema 1's store kept it beside its events.
    const result = {
      stream: 'plan-old',
      commandId: events[0]!.commandId,
      nextExpectedRevision: '2',
      firstPosition: '0',
      lastPosition: '2',
      eventIds: events.map((e) => e.eventId),
    };
    old
      .prepare('INSERT INTO commands (command_id, stream, result) VALUES (?, ?, ?)')
      .run(events[0]!.commandId, 'plan-old', JSON.stringify(result));
    old.close();

    ctx.store = openSqliteEventStore({ file: ctx.file });
    ctx.ledger = openLedgerIntegrity({ file: ctx.file, key: ctx.key, events: ctx.store });
    const stored = await collect(ctx.store.readStream('plan-old'));
    let previousHash = GENESIS_HASH;
    for (const [i, e] of stored.entries()) {
      expect(e.hash).toBe(referenceEventHash(events[i], { stream: 'plan-old', revision: i, previousHash }));
      previousHash = e.hash!;
    }
    await ctx.store.append({
      stream: 'plan-old',
      events: makeEvents(1, 'after-upgrade'),
      expectedRevision: 2n,
      commandId: 'after-upgrade',
    });
    const [added] = await collect(ctx.store.readStream('plan-old', { fromRevision: 3n }));
    const { stream: _stream, revision: _revision, position: _position, hash, ...appended } = added!;
    expect(hash).toBe(referenceEventHash(appended, { stream: 'plan-old', revision: 3, previousHash }));
    await ctx.ledger.checkpointNow();
    expect(await ctx.ledger.verify()).toMatchObject({ ok: true, eventsChecked: 4, checkpointsChecked: 1 });
  });
});
