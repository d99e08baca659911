import type { Db } from '../store/sqlite/connection.ts';

/**
 * Key records already read, so an API-key request costs a hash and a change check
 * instead of an indexed read (under load the read cost ~60 µs of the serving thread;
 * the check ~3 µs). The cache stays exact, never eventually right:
 *  - `PRAGMA data_version` changes whenever any other connection (another server, or
 *    `ledger keys revoke` in another process) commits to access.db, and it is checked
 *    before every lookup, so a revocation is seen on the very next request;
 *  - writes through this connection do not change data_version, so the key store
 *    clears the cache itself after each of them.
 * Only keys that exist are cached (a flood of made-up key ids cannot fill it), and it
 * is bounded: the oldest entries go first.
 */
export const createKeyRowCache = <T>(db: Db, capacity = 10_000) => {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const entries = new Map<string, T>();
  let seenVersion = dataVersion.get();
  return {
    get(keyId: string, load: () => T | undefined): T | undefined {
      const version = dataVersion.get();
      if (version !== seenVersion) {
        entries.clear();
        seenVersion = version;
      }
      const hit = entries.get(keyId);
      if (hit !== undefined) return hit;
      const loaded = load();
      if (loaded === undefined) return undefined;
      entries.set(keyId, loaded);
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
      return loaded;
    },
    clear(): void {
      entries.clear();
    },
  };
};
