import { describe, expect, it } from 'vitest';
import { openKeysDb } from '../../src/access/sqlite/access-db.ts';
import { createKeyStore } from '../../src/access/sqlite/key-store.ts';
import { CHANGE_CHECK_INTERVAL_MS } from '../../src/access/sqlite/key-row-cache.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** Verified keys are cached; these prove the cache never lets a revoked or changed key through. */
describe('the verified-key cache', () => {
  const twoConnections = async (
    run: (server: ReturnType<typeof createKeyStore>, cli: ReturnType<typeof createKeyStore>) => unknown,
  ): Promise<void> => {
    const dir = makeTempDir();
    // Two connections to one file, as a serving process and `ledger keys revoke` in another process have.
    const serverDb = openKeysDb(dir.file('access.db'));
    const cliDb = openKeysDb(dir.file('access.db'));
    try {
      await run(createKeyStore(serverDb), createKeyStore(cliDb));
    } finally {
      serverDb.close();
      cliDb.close();
      dir.remove();
    }
  };

  it('refuses a key revoked through another connection once the change-check interval has passed', () =>
    twoConnections(async (server, cli) => {
      const { key, record } = await cli.create({ name: 'Jo', role: 'viewer', organisation: 'Dorset Police', createdBy: 'test' });
      expect((await server.verify(key))?.keyId).toBe(record.keyId);
      expect((await server.verify(key))?.keyId).toBe(record.keyId);
      expect(await cli.revoke(record.keyId, 'admin')).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, CHANGE_CHECK_INTERVAL_MS + 1));
      expect(await server.verify(key)).toBeUndefined();
    }));

  it('refuses a key revoked through the same connection on the very next check', () =>
    twoConnections(async (server) => {
      const { key, record } = await server.create({ name: 'Jo', role: 'viewer', organisation: 'Dorset Police', createdBy: 'test' });
      expect((await server.verify(key))?.keyId).toBe(record.keyId);
      expect(await server.revoke(record.keyId, 'admin')).toBe(true);
      expect(await server.verify(key)).toBeUndefined();
    }));

  it('still compares the secret on every check: a cached key id with a wrong secret is refused', () =>
    twoConnections(async (server) => {
      const { key } = await server.create({ name: 'Jo', role: 'viewer', organisation: 'Dorset Police', createdBy: 'test' });
      expect(await server.verify(key)).toBeDefined();
      const forged = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
      expect(await server.verify(forged)).toBeUndefined();
    }));

  it('sees a key created through another connection after it was looked up and not found', () =>
    twoConnections(async (server, cli) => {
      expect(await server.verify('al_0123456789abcdef_' + 'x'.repeat(43))).toBeUndefined();
      const { key } = await cli.create({ name: 'Jo', role: 'viewer', organisation: 'Dorset Police', createdBy: 'test' });
      expect((await server.verify(key))?.name).toBe('Jo');
    }));
});
