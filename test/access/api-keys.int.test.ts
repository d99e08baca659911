import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiKeyId, generateApiKey, hashApiKey } from '../../src/access/api-key.ts';
import { keysCommand } from '../../src/cli/keys-command.ts';
import { ensureFirstAdminKey } from '../../src/access/first-start.ts';
import { openKeysDb } from '../../src/access/sqlite/access-db.ts';
import { createKeyStore } from '../../src/access/sqlite/key-store.ts';
import { NoLedgerHere } from '../../src/existing-data-dir.ts';
import { useSecuredLedger } from '../support/access.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const open = useSecuredLedger();

const withStore = async <T>(
  run: (keys: ReturnType<typeof createKeyStore>, db: ReturnType<typeof openKeysDb>, dir: string) => Promise<T>,
): Promise<T> => {
  const dir = makeTempDir();
  const db = openKeysDb(dir.file('access.db'));
  try {
    return await run(createKeyStore(db), db, dir.path);
  } finally {
    db.close();
    dir.remove();
  }
};

describe('API keys', () => {
  it('have a visible prefix and key id and 32 random bytes, and only a SHA-256 hash is stored', () =>
    withStore(async (keys, db) => {
      const { key, record } = await keys.create({ name: 'Jo', role: 'viewer', organisation: 'Dorset Police', createdBy: 'test' });
      expect(key).toMatch(/^al_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(apiKeyId(key)).toBe(record.keyId);
      const row = db.prepare('SELECT * FROM api_keys').get() as Record<string, unknown>;
      expect(row.hash).toEqual(hashApiKey(key));
      expect(JSON.stringify(row)).not.toContain(key.slice(20));
      expect(generateApiKey().key).not.toBe(generateApiKey().key);
    }));

  it('verify: the key itself passes; a wrong secret, an unknown id, a malformed key and a revoked key do not', () =>
    withStore(async (keys) => {
      const { key, record } = await keys.create({ name: 'Jo', role: 'viewer', organisation: 'Dorset Police', createdBy: 'test' });
      expect((await keys.verify(key))?.keyId).toBe(record.keyId);
      expect(await keys.verify(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
      expect(await keys.verify(`al_ffffffffffffffff_${key.slice(20)}`)).toBeUndefined();
      expect(await keys.verify('al_' + record.keyId)).toBeUndefined();
      expect(await keys.revoke(record.keyId, 'test')).toBe(true);
      expect(await keys.revoke(record.keyId, 'test')).toBe(false);
      expect(await keys.verify(key)).toBeUndefined();
      expect(await keys.get(record.keyId)).toMatchObject({ revokedBy: 'test' });
    }));

  it('first start makes one admin key, prints it once, and never again (even when every key is revoked)', () =>
    withStore(async (keys) => {
      const printed: string[] = [];
      const first = await ensureFirstAdminKey(keys, 'Local installation', (t) => printed.push(t));
      expect(first).toMatchObject({ role: 'admin', createdBy: 'first-start' });
      const key = /al_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(printed.join(''))![0];
      expect((await keys.verify(key))?.role).toBe('admin');
      await keys.revoke(first!.keyId, 'test');
      expect(await ensureFirstAdminKey(keys, 'Local installation', (t) => printed.push(t))).toBeUndefined();
      expect(printed).toHaveLength(1);
    }));

  it('ledger keys create / list / revoke work on the data directory and print the key only at creation', async () => {
    const dir = makeTempDir();
    try {
      const out: string[] = [];
      const run = (...args: string[]) => keysCommand((t) => out.push(t)).parseAsync(args, { from: 'user' });
      await run('create', '--name', 'Jo Bloggs', '--role', 'contributor', '--organisation', 'SWAST', '-d', dir.path, '--init');
      const key = out.find((l) => l.startsWith('al_'))!;
      const keyId = apiKeyId(key)!;
      out.length = 0;
      await run('list', '-d', dir.path);
      expect(out.join('\n')).toContain(`${keyId}\tcontributor\tSouth Western Ambulance Service NHS Foundation Trust\tJo Bloggs`);
      expect(out.join('\n')).not.toContain(key);
      await run('revoke', keyId, '-d', dir.path);
      out.length = 0;
      await run('list', '-d', dir.path);
      expect(out.join('\n')).toContain('REVOKED');
      out.length = 0;
      await run('create', '--name', 'Script', '--role', 'viewer', '--organisation', 'SWAST', '-d', dir.path, '--key-only');
      expect(out).toEqual([expect.stringMatching(/^al_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/)]);
    } finally {
      dir.remove();
    }
  });

  it('ledger keys refuses a data directory with no ledger and no key store, naming it and how the server sets its own', async () => {
    const dir = makeTempDir();
    try {
      const elsewhere = dir.file('not-the-server');
      const run = (...args: string[]) => keysCommand(() => undefined).parseAsync(args, { from: 'user' });
      for (const args of [
        ['create', '--name', 'Jo Bloggs', '--role', 'contributor', '--organisation', 'SWAST', '-d', elsewhere],
        ['list', '-d', elsewhere],
        ['revoke', '0123456789abcdef', '-d', elsewhere],
      ]) {
        const refusal = await run(...args).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refusal).toBeInstanceOf(NoLedgerHere);
        expect((refusal as Error).message).toContain(`there is no ledger in ${elsewhere}`);
        expect((refusal as Error).message).toContain('LEDGER_DATA_DIR or `ledger serve --data-dir <dir>`');
      }
      expect(fs.existsSync(elsewhere)).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('admins create and revoke keys over HTTP; a revoked key is refused on its very next request', async () => {
    const ledger = await open();
    const admin = await ledger.keyFor('admin');
    const created = await ledger.call(admin, {
      method: 'POST',
      url: '/admin/keys',
      payload: { name: 'Sam', role: 'auditor', organisation: 'Dorset HealthCare' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { key, keyId, organisation } = created.json();
    expect(organisation).toBe('Dorset HealthCare University NHS Foundation Trust');
    expect((await ledger.call(key, { method: 'GET', url: '/ledger/events' })).statusCode).toBe(200);
    const listed = (await ledger.call(admin, { method: 'GET', url: '/admin/keys' })).json();
    expect(JSON.stringify(listed)).not.toContain(key);
    expect((await ledger.call(admin, { method: 'DELETE', url: `/admin/keys/${keyId}` })).json()).toMatchObject({
      keyId,
      revokedBy: expect.stringMatching(/^api-key:/),
    });
    expect((await ledger.call(admin, { method: 'DELETE', url: `/admin/keys/${keyId}` })).json().code).toBe('key-already-revoked');
    const after = await ledger.call(key, { method: 'GET', url: '/ledger/events' });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('invalid-api-key');
    const bad = await ledger.call(admin, {
      method: 'POST',
      url: '/admin/keys',
      payload: { name: 'X', role: 'superuser', organisation: 'Y' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("refuses a query parameter on an admin's write (key creation, revocation, a checkpoint) rather than drop it, and changes nothing", async () => {
    const ledger = await open();
    const admin = await ledger.keyFor('admin');
    const viewer = await ledger.keyFor('viewer');
    const viewerId = apiKeyId(viewer)!;
    const keysBefore = await ledger.access.keys.list();
    const checkpointsBefore = (await ledger.ledger.checkpoints.latest())?.treeSize;
    for (const [method, url, payload] of [
      ['POST', '/admin/keys?role=admin', { name: 'Sam', role: 'viewer', organisation: 'Dorset CCG' }],
      ['DELETE', `/admin/keys/${viewerId}?reason=left`, undefined],
      ['POST', '/ledger/checkpoints?force=true', undefined],
    ] as const) {
      const res = await ledger.call(admin, { method, url, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation-failed', errors: [{ location: 'querystring' }] });
      expect(res.json().errors[0].message).toMatch(/^a write takes no query parameters, and "(role|reason|force)" was given/);
    }
    expect(await ledger.access.keys.list()).toEqual(keysBefore);
    expect((await ledger.ledger.checkpoints.latest())?.treeSize).toBe(checkpointsBefore);
    expect((await ledger.call(viewer, { method: 'GET', url: '/plans' })).statusCode).toBe(200);
  });

  it('refuses a key whose name or organisation holds a control character, as every event recorded with it would carry it', async () => {
    const ledger = await open();
    const admin = await ledger.keyFor('admin');
    for (const payload of [
      { name: 'Eve\u001b[31mRed', role: 'auditor', organisation: 'Dorset HealthCare' },
      { name: 'Eve', role: 'auditor', organisation: 'Dorset\u0001HealthCare' },
    ]) {
      const refused = await ledger.call(admin, { method: 'POST', url: '/admin/keys', payload });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().errors).toEqual([expect.objectContaining({ message: 'must not hold control characters' })]);
    }
    expect((await ledger.call(admin, { method: 'GET', url: '/admin/keys' })).json().keys).toHaveLength(1);
    const dir = makeTempDir();
    try {
      const cli = spawnSync(
        process.execPath,
        ['bin/ledger.js', 'keys', 'create', '--init', '--name', 'Jo\u0001Bloggs', '--role', 'viewer', '--organisation', 'SWAST'],
        { env: { ...process.env, LEDGER_DATA_DIR: dir.path }, encoding: 'utf8' },
      );
      expect(cli.status).not.toBe(0);
      expect(cli.stderr).toMatch(/--name.*holds the control character U\+0001/);
      expect(fs.existsSync(dir.file('access.db'))).toBe(false);
    } finally {
      dir.remove();
    }
  });
});
