import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { configureConnection } from '../../src/store/sqlite/connection.ts';
import { SCHEMA_VERSION, SchemaTooNew } from '../../src/store/sqlite/schema.ts';
import { makeEvents } from '../support/events.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';

describe('SQLite schema and settings', () => {
  const { open, file } = useSqliteStores();

  it('creates a WAL ledger at the current schema version, and reopening migrates nothing', async () => {
    const first = open();
    await first.close();
    open();
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
