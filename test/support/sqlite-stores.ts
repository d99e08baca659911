import { afterEach, beforeEach } from 'vitest';
import { openSqliteEventStore, type SqliteEventStore, type SqliteEventStoreOptions } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from './temp-dir.ts';

type Options = Omit<SqliteEventStoreOptions, 'file'>;

/**
 * Per-test SQLite ledgers in a temp dir: open() gives a store on ledger.db (or a named
 * file); every store opened is closed and the dir removed after the test.
 */
export const useSqliteStores = () => {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  let opened: SqliteEventStore[] = [];

  beforeEach(() => {
    dir = makeTempDir();
    opened = [];
  });
  afterEach(async () => {
    await Promise.all(opened.map((store) => store.close()));
    dir?.remove();
  });

  const file = (name = 'ledger.db') => {
    if (!dir) throw new Error('useSqliteStores: called outside a test');
    return dir.file(name);
  };
  const open = (options: Options = {}, name?: string): SqliteEventStore => {
    const store = openSqliteEventStore({ file: file(name), ...options });
    opened.push(store);
    return store;
  };
  return { open, file };
};
