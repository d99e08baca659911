import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { collect } from '../support/collect.ts';
import { configureConnection } from '../../src/store/sqlite/connection.ts';
import { SCHEMA_VERSION, SchemaTooNew } from '../../src/store/sqlite/schema.ts';
import { makeEvent, makeEvents } from '../support/events.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';

describe('SQLite schema and settings', () => {
  const { open, file } = useSqliteStores();

  it('creates a WAL ledger at the current schema version, and reopening migrates nothing', async () => {
    const upgrades: unknown[] = [];
    const first = open({ onUpgrade: (upgrade) => upgrades.push(upgrade) });
    await first.close();
    open({ onUpgrade: (upgrade) => upgrades.push(upgrade) });
    expect(upgrades, 'a new file is made, not upgraded').toEqual([]);
    const raw = new Database(file(), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    raw.close();
  });

  it('runs every connection with synchronous=FULL', () => {
    const raw = new Database(file('plain.db'));
    configureConnection(raw, 1000);
    expect(raw.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(raw.pragma('busy_timeout', { simple: true })).toBe(1000);
    raw.close();
  });

  it('runs a bulk load (ledger copy) with synchronous=NORMAL and syncs the ledger file and its WAL when the store closes', async () => {
    const raw = new Database(file('plain.db'));
    configureConnection(raw, 1000, 'at-close');
    expect(raw.pragma('synchronous', { simple: true })).toBe(1); // 1 = NORMAL: no fsync per commit
    raw.close();

    const store = open({ durability: 'at-close' });
    await store.append({ stream: 's', events: makeEvents(3), expectedRevision: 'noStream', commandId: 'bulk' });
    const synced: string[] = [];
    const fsync = vi.spyOn(fs, 'fsyncSync');
    const openSync = vi.spyOn(fs, 'openSync');
    try {
      await store.close();
      for (const [i, call] of openSync.mock.calls.entries())
        if (fsync.mock.calls.some(([fd]) => fd === openSync.mock.results[i]?.value)) synced.push(String(call[0]));
    } finally {
      fsync.mockRestore();
      openSync.mockRestore();
    }
    expect(synced).toEqual([`${file()}-wal`, file(), path.dirname(file())]);
    expect(await collect(open().readAll())).toHaveLength(3);
  });

  it('gives a ledger written before the ledger-time index that index when opened, and answers asOf positions from it', async () => {
    const before = open();
    for (const [i, at] of ['2020-01-01T10:00:00.000Z', '2020-01-01T10:00:00.000Z', '2020-01-02T09:00:00.000Z'].entries())
      await before.append({
        stream: `s${i}`,
        events: [makeEvent({ recordedAt: at, commandId: `c${i}` })],
        expectedRevision: 'noStream',
        commandId: `c${i}`,
      });
    await before.close();
    const raw = new Database(file());
    raw.exec('DROP INDEX events_by_ledger_time; DROP TABLE ledger_time_out_of_order');
    raw.pragma('user_version = 3');
    raw.close();

    const upgrades: unknown[] = [];
    const store = open({ onUpgrade: (upgrade) => upgrades.push(upgrade) });
    // Told before and after, so a person starting the service on a large ledger knows why it waits.
    expect(upgrades).toEqual([
      { from: 3, to: SCHEMA_VERSION },
      { from: 3, to: SCHEMA_VERSION, done: { seconds: expect.any(Number) } },
    ]);
    const indexes = new Database(file(), { readonly: true });
    expect(indexes.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").pluck().all()).toContain(
      'events_by_ledger_time',
    );
    expect(indexes.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    indexes.close();
    expect(await store.positionAt('2019-12-31T23:59:59.999Z')).toBeUndefined();
    expect(await store.positionAt('2020-01-01T10:00:00.000Z')).toBe(1n);
    expect(await store.positionAt('2020-01-02T08:59:59.999Z')).toBe(1n);
    expect(await store.positionAt('2020-01-02T09:00:00.000Z')).toBe(2n);
  });

  it('opens a file while another process holds its write lock (bringing it up to date, say), waiting past its busy timeout', async () => {
    await open().close();
    // Another process holds the write lock for 1.5 s, as one building the ledger-time index of a large ledger does.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
         const db = new Database(${JSON.stringify(file())});
         db.exec('BEGIN IMMEDIATE');
         process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 1500);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const started = performance.now();
    const told: unknown[] = [];
    const store = open({ busyTimeoutMs: 200, onUpgrade: (upgrade) => told.push(upgrade) });
    expect(performance.now() - started).toBeGreaterThan(1000);
    expect(told, 'says why it waits').toEqual([{ waiting: true }]);
    await store.append({ stream: 's', events: makeEvents(1), expectedRevision: 'noStream', commandId: 'after-the-wait' });
    expect(await store.count()).toBe(1);
    await new Promise((resolve) => holder.once('exit', resolve));
  });

  it('refuses a ledger written by a newer schema version', () => {
    const raw = new Database(file());
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => open()).toThrow(SchemaTooNew);
  });

  it('is append-only: events cannot be deleted or rewritten, even from outside the store', async () => {
    const store = open();
    await store.append({ stream: 's', events: makeEvents(2), expectedRevision: 'any', commandId: 'c' });
    const raw = new Database(file());
    expect(() => raw.exec('DELETE FROM events WHERE position = 1')).toThrow(/append-only/);
    expect(() => raw.exec("UPDATE events SET body = '{}' WHERE position = 0")).toThrow(/append-only/);
    expect(() => raw.exec('UPDATE events SET position = 7 WHERE position = 1')).toThrow(/append-only/);
    raw.close();
    expect(await store.count()).toBe(2);
  });
});
