import type { Db } from '../../store/sqlite/connection.ts';

/** How stale the cache may be with respect to another process's commits. */
export const CHANGE_CHECK_INTERVAL_MS = 1;

/**
 * Key records already read, so an API-key request costs a hash instead of an indexed
 * read (under load the read cost ~60 µs of the serving thread). The cache follows
 * access.db closely enough that a revocation is never missed:
 *  - `PRAGMA data_version` changes whenever any other connection (another server, or
 *    `ledger keys revoke` in another process) commits to access.db. It is checked
 *    before a lookup whenever the last check is more than a millisecond old: a
 *    revocation committed elsewhere is honoured from at most 1 ms after its commit
 *    (sooner than `ledger keys revoke` can print that it is done), and a busy server
 *    pays for one check per millisecond instead of one query per request, which was
 *    a third of what checking a key cost;
 *  - writes through this connection do not change data_version, so the key store
 *    clears the cache itself after each of them: a revocation over HTTP is exact.
 * Only keys that exist are cached (a flood of made-up key ids cannot fill it), and it
 * is bounded: the oldest entries go first.
 */
export const createKeyRowCache = <T>(db: Db, capacity = 10_000, now: () => number = performance.now.bind(performance)) => {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const entries = new Map<string, T>();
  let seenVersion = dataVersion.get();
  let checkedAt = now();
  return {
    get(keyId: string, load: () => T | undefined): T | undefined {
      const at = now();
      if (at - checkedAt > CHANGE_CHECK_INTERVAL_MS) {
        checkedAt = at;
        const version = dataVersion.get();
        if (version !== seenVersion) {
          entries.clear();
          seenVersion = version;
        }
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
