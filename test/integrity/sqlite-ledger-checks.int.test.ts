import Database from 'better-sqlite3';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBackendChecks } from '../../src/integrity/sqlite/backend-checks.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeEvents } from '../support/events.ts';
import { openLedgerIntegrity } from '../support/sqlite-integrity.ts';
import { openAsAttacker, seedPlans, useLedger } from './ledger-fixture.ts';

/**
 * What the SQLite backend checks of its own beside the events: SQLite's check of the file,
 * every stored command result against the events it names, and its append-only triggers.
 */
describe("verify runs the SQLite ledger's own checks", () => {
  const ctx = useLedger();

  const seedAndSign = async () => {
    await seedPlans(ctx.store, 6);
    await ctx.ledger.checkpointNow();
  };

  const editResult = (commandId: string, edit: (result: Record<string, unknown>) => void) => {
    const db = openAsAttacker(ctx.file);
    const row = db.prepare<[string], { result: string }>('SELECT result FROM commands WHERE command_id = ?').get(commandId)!;
    const result = JSON.parse(row.result) as Record<string, unknown>;
    edit(result);
    db.prepare('UPDATE commands SET result = ? WHERE command_id = ?').run(JSON.stringify(result), commandId);
    db.close();
  };

  it('lists what it checked on a sound ledger', async () => {
    await seedAndSign();
    const report = await ctx.ledger.verify();
    expect(report.ok).toBe(true);
    expect(report.backendChecks).toEqual([
      'SQLite integrity_check of ledger.db',
      'every command result against the events it names',
      "the ledger file's append-only triggers",
    ]);
    expect((await ctx.ledger.verify(undefined, { storageCheck: 'quick' })).backendChecks?.[0]).toBe('SQLite quick_check of ledger.db');
  });

  it('names a command result whose event ids were edited, which a retry of its Idempotency-Key would be answered with', async () => {
    await seedAndSign();
    const other = (await ctx.store.findCommand('seed-plan-kent-2'))!.eventIds;
    editResult('seed-plan-devon-2', (result) => {
      result.eventIds = other;
    });
    // The replay answers what the table now says: only verify can tell it from the truth.
    expect((await ctx.store.findCommand('seed-plan-devon-2'))!.eventIds).toEqual(other);
    const report = await ctx.ledger.verify();
    expect(report).toMatchObject({
      ok: false,
      failure: { kind: 'command-result-mismatch', stream: 'plan-devon', revision: '2', found: other[0] },
    });
    expect(report.failure!.message).toContain('seed-plan-devon-2');
  });

  it('names a command result whose positions or final revision were edited', async () => {
    await seedAndSign();
    editResult('seed-plan-dorset-4', (result) => {
      result.nextExpectedRevision = '9';
    });
    expect((await ctx.ledger.verify()).failure).toMatchObject({
      kind: 'command-result-mismatch',
      stream: 'plan-dorset',
      expected: '5',
      found: '9',
    });
    editResult('seed-plan-dorset-4', (result) => {
      result.nextExpectedRevision = '5';
      result.firstPosition = '13';
    });
    expect((await ctx.ledger.verify()).failure).toMatchObject({ kind: 'command-result-mismatch', position: '12', found: '13' });
  });

  it('names a deleted command result: a retry would run the command again', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    db.prepare("DELETE FROM commands WHERE command_id = 'seed-plan-devon-4'").run();
    db.close();
    expect((await ctx.ledger.verify()).failure).toMatchObject({
      kind: 'command-result-missing',
      stream: 'plan-devon',
      position: '14',
      expected: 'seed-plan-devon-4',
    });
  });

  it('names a command result added by hand for events that are not its own', async () => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    const genuine = db.prepare<[], { result: string }>("SELECT result FROM commands WHERE command_id = 'seed-plan-kent-0'").get()!;
    db.prepare("INSERT INTO commands (command_id, stream, result) VALUES ('forged', 'plan-kent', ?)").run(
      genuine.result.replace('seed-plan-kent-0', 'forged'),
    );
    db.close();
    expect((await ctx.ledger.verify()).failure).toMatchObject({ kind: 'command-result-mismatch', found: 'forged' });
  });

  /** The last events cut off at a command's boundary, with the checkpoint rows over them, from a fresh process. */
  const cutOffEndAt = async (position: number) => {
    await seedAndSign();
    await ctx.ledger.close();
    await ctx.store.close();
    const db = openAsAttacker(ctx.file);
    db.prepare('DELETE FROM events WHERE position >= ?').run(position);
    db.prepare('DELETE FROM checkpoints WHERE tree_size > ?').run(position);
    db.exec('DELETE FROM merkle_nodes');
    db.close();
    fs.rmSync(ctx.dir.file('ledger-checkpoint.json'), { force: true });
    ctx.store = openSqliteEventStore({ file: ctx.file });
    ctx.ledger = openLedgerIntegrity({ file: ctx.file, key: ctx.key, events: ctx.store });
  };

  it('names the stored results of commands whose events were cut off the end of the ledger with the checkpoints over them', async () => {
    await cutOffEndAt(12);
    const report = await ctx.ledger.verify();
    expect(report).toMatchObject({
      ok: false,
      failure: { kind: 'command-result-past-end', position: '12', expected: '11', found: '13' },
    });
    expect(report.failure!.message).toContain('seed-plan-dorset-4');
    expect(report.failure!.message).toMatch(/cut off its end/);
  });

  it('names a stored command result whose positions now hold the events of commands written after the end was cut off', async () => {
    await cutOffEndAt(12);
    await ctx.store.append({
      stream: 'plan-kent',
      events: makeEvents(2, 'after-the-cut'),
      expectedRevision: 'any',
      commandId: 'after-the-cut',
    });
    const report = await ctx.ledger.verify();
    expect(report.failure).toMatchObject({ kind: 'command-result-mismatch', position: '12', found: 'seed-plan-dorset-4' });
    expect(report.failure!.message).toMatch(/cut off the end of the ledger and others written in their place/);
  });

  it('does not name the results of commands appended after the view it checks was taken, as a running service appends', async () => {
    await seedAndSign();
    await ctx.store.append({ stream: 'plan-kent', events: makeEvents(2, 'later'), expectedRevision: 'any', commandId: 'later' });
    const db = new Database(ctx.file, { readonly: true });
    try {
      const report = db.transaction(() => runBackendChecks(db, ctx.file, 18, 'quick'))();
      expect(report.records).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('names an append-only trigger left dropped', async () => {
    await seedAndSign();
    openAsAttacker(ctx.file, { leaveTriggersDropped: true }).close();
    const report = await ctx.ledger.verify();
    expect(report.failure).toMatchObject({ kind: 'schema-altered' });
    expect(report.failure!.message).toContain('events_append_only_update');
  });

  it("names what SQLite's integrity_check reports of a byte changed inside an index page, which quick_check does not look at", async () => {
    await seedAndSign();
    const eventId = (await ctx.store.findCommand('seed-plan-devon-2'))!.eventIds[0]!;
    await ctx.ledger.close();
    await ctx.store.close();
    // Whole file, no WAL: then the index page is where the file says it is.
    const db = new Database(ctx.file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const { rootpage } = db
      .prepare<[], { rootpage: number }>(
        "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NULL AND name LIKE '%1'",
      )
      .get()!;
    db.close();
    const bytes = fs.readFileSync(ctx.file);
    const page = bytes.subarray((rootpage - 1) * pageSize, rootpage * pageSize);
    const at = page.indexOf(Buffer.from(eventId));
    expect(at).toBeGreaterThan(0);
    // One hex digit of the event id inside the index entry: the table row still says the old id.
    page[at + 35] = page[at + 35] === 0x61 ? 0x62 : 0x61;
    fs.writeFileSync(ctx.file, bytes);

    ctx.store = openSqliteEventStore({ file: ctx.file });
    ctx.ledger = openLedgerIntegrity({ file: ctx.file, key: ctx.key, events: ctx.store });
    const report = await ctx.ledger.verify();
    expect(report.failure).toMatchObject({ kind: 'storage-damaged' });
    expect(report.failure!.message).toMatch(/integrity_check of .*ledger\.db reports .*missing from index|wrong # of entries/);
    expect((await ctx.ledger.verify(undefined, { storageCheck: 'quick' })).failure?.kind).not.toBe('storage-damaged');
  });

  it("reports a table page SQLite can no longer read as storage damage, naming the file, instead of failing with SQLite's error", async () => {
    await seedAndSign();
    await ctx.ledger.close();
    await ctx.store.close();
    const db = new Database(ctx.file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const { rootpage } = db.prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE name = 'events'").get()!;
    db.close();
    const bytes = fs.readFileSync(ctx.file);
    const page = bytes.subarray((rootpage - 1) * pageSize, rootpage * pageSize);
    // The first cell pointer (after the 8- or 12-byte page header) now points past the page.
    const header = page[0] === 0x05 ? 12 : 8;
    page[header] = 0xff;
    page[header + 1] = 0xff;
    fs.writeFileSync(ctx.file, bytes);

    ctx.store = openSqliteEventStore({ file: ctx.file });
    ctx.ledger = openLedgerIntegrity({ file: ctx.file, key: ctx.key, events: ctx.store });
    const report = await ctx.ledger.verify();
    expect(report.ok).toBe(false);
    expect(report.failure).toMatchObject({ kind: 'storage-damaged' });
    expect(report.failure!.message).toMatch(/ledger\.db/);
  });
});
