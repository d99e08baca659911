import type { Db } from '../../store/sqlite/connection.ts';
import { apiKeyId, apiKeyMatches, generateApiKey, hashApiKey } from '../api-key.ts';
import type { ApiKeyRecord, CreatedApiKey, KeyStore, NewApiKey } from '../port.ts';
import { Role } from '../roles.ts';
import { createKeyRowCache } from './key-row-cache.ts';

export type KeyRow = {
  key_id: string;
  hash: Buffer;
  name: string;
  role: string;
  organisation: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
};

const knownRoles: ReadonlySet<string> = new Set(Role.options);
/** Checked on every authenticated request, so a Set lookup rather than a schema parse. */
const asRole = (role: string): Role => {
  if (!knownRoles.has(role)) throw new Error(`access.db holds a key with an unknown role ${JSON.stringify(role)}`);
  return role as Role;
};

const toRecord = (r: KeyRow): ApiKeyRecord => ({
  keyId: r.key_id,
  name: r.name,
  role: asRole(r.role),
  organisation: r.organisation,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
});

/** Compared against when the key id is unknown, so a miss costs the same as a wrong secret. */
const NO_SUCH_KEY = hashApiKey('al_0000000000000000_no-such-key');

/**
 * API keys in `<dataDir>/access.db`: created (the key shown once), listed, revoked; verified
 * by key id and hash. Every instance and CLI process on the data dir shares the file, and the
 * key cache follows other processes' commits (key-row-cache.ts), so a revocation anywhere is
 * refused everywhere on the next request. The work is synchronous; the port is async because
 * a remote backend's is.
 */
export const createKeyStore = (db: Db, clock: () => Date = () => new Date()): KeyStore => {
  const insert = db.prepare(
    'INSERT INTO api_keys (key_id, hash, name, role, organisation, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE key_id = ?');
  const all = db.prepare<[], KeyRow>('SELECT * FROM api_keys ORDER BY created_at, key_id');
  const revoke = db.prepare('UPDATE api_keys SET revoked_at = ?, revoked_by = ? WHERE key_id = ? AND revoked_at IS NULL');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM api_keys');
  const cache = createKeyRowCache<{ row: KeyRow; record: ApiKeyRecord }>(db);

  const create = (input: NewApiKey): CreatedApiKey => {
    const { keyId, key, hash } = generateApiKey();
    insert.run(keyId, hash, input.name, input.role, input.organisation, clock().toISOString(), input.createdBy);
    cache.clear();
    return { key, record: toRecord(byId.get(keyId)!) };
  };
  // IMMEDIATE takes the write lock before counting, so two servers starting together make one first key, not two.
  const createIfNone = db.transaction((input: NewApiKey) => (count.get()!.n === 0 ? create(input) : undefined));

  return {
    createIfNone: async (input) => createIfNone.immediate(input),
    create: async (input) => create(input),
    list: async () => all.all().map(toRecord),
    get: async (keyId) => {
      const row = byId.get(keyId);
      return row ? toRecord(row) : undefined;
    },
    revoke: async (keyId, revokedBy) => {
      const revoked = revoke.run(clock().toISOString(), revokedBy, keyId).changes === 1;
      cache.clear();
      return revoked;
    },
    countAll: async () => count.get()!.n,
    async verify(presented) {
      const keyId = apiKeyId(presented);
      const cached =
        keyId === undefined
          ? undefined
          : cache.get(keyId, () => {
              const row = byId.get(keyId);
              return row && { row, record: toRecord(row) };
            });
      // The hash is compared on every request, cached or not: the cache saves the read, never the check.
      const matches = apiKeyMatches(presented, cached?.row.hash ?? NO_SUCH_KEY);
      if (!cached || !matches || cached.row.revoked_at !== null) return undefined;
      return cached.record;
    },
  };
};
