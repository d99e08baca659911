import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { openAsAttacker, rewriteStreamWithFreshHashes, seedPlans } from './ledger-fixture.ts';

const run = promisify(execFile);
const LEDGER = path.resolve('bin/ledger.js');

/** Runs the real `ledger` command; resolves with its exit code and output whatever the code. */
const ledger = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [LEDGER, ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('ledger verify, export and verify-export (real processes)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(async () => {
    dir = makeTempDir('ledger-cli-');
    loadSigningKey({ dataDir: dir.path });
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await seedPlans(store, 6);
    await store.close();
  });
  afterEach(() => dir.remove());

  it('verifies a sound ledger (exit 0), exports a plan that verifies offline, and fails an export missing one event or with a member given twice (exit 1)', async () => {
    const verified = await ledger('verify', '-d', dir.path);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/events checked:\s+18/);

    const out = dir.file('devon.json');
    const exported = await ledger('export', '--plan', 'devon', '--out', out, '-d', dir.path);
    expect(exported.code, exported.stderr).toBe(0);
    fs.writeFileSync(dir.file('public.pem'), (JSON.parse(fs.readFileSync(out, 'utf8')) as { publicKey: { pem: string } }).publicKey.pem);
    const offline = await ledger('verify-export', out, '--public-key', dir.file('public.pem'));
    expect(offline.code, offline.stdout).toBe(0);
    expect(offline.stdout).toMatch(/events checked:\s+6/);
    expect(offline.stdout).toMatch(/plan:\s+devon/);
    expect(offline.stdout).toMatch(/^signed by key [0-9a-f]{16} \(the key you supplied\)$/m);

    // Another key supplied: the line names both keys, and does not call the signer the one supplied.
    loadSigningKey({ dataDir: dir.file('another') });
    fs.writeFileSync(dir.file('another.pem'), loadSigningKey({ dataDir: dir.file('another') }).key.publicKeyPem);
    const another = await ledger('verify-export', out, '--public-key', dir.file('another.pem'));
    expect(another.code, another.stdout).toBe(1);
    expect(another.stdout).toMatch(/^the file names key [0-9a-f]{16} as its signer, not the key you supplied \([0-9a-f]{16}\)$/m);
    expect(another.stdout).not.toContain('(the key you supplied)');

    // Without a pinned key every check may hold, and still it is not a pass.
    const unpinned = await ledger('verify-export', out);
    expect(unpinned.code, unpinned.stdout).toBe(3);
    expect(unpinned.stdout).toMatch(/NOT VERIFIED/);
    expect(unpinned.stdout).toMatch(/key was not pinned/);

    // The JSON of GET /ledger/public-key serves as the pinned key.
    const published = JSON.parse(fs.readFileSync(out, 'utf8')) as { publicKey: { keyId: string; pem: string } };
    fs.writeFileSync(dir.file('public-key.json'), JSON.stringify({ ...published.publicKey, algorithm: 'Ed25519' }));
    expect((await ledger('verify-export', out, '--public-key', dir.file('public-key.json'))).code).toBe(0);

    const bundle = JSON.parse(fs.readFileSync(out, 'utf8')) as { events: unknown[] };
    bundle.events.splice(2, 1);
    fs.writeFileSync(dir.file('cut.json'), JSON.stringify(bundle));
    const cut = await ledger('verify-export', dir.file('cut.json'));
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/FAILED \(revision-gap\)/);

    // A bundle with two readings: a forged "planId" first, which a person or another reader may take, the signed one last,
    // which JSON.parse keeps and every check would pass on. It is refused, not verified.
    const text = fs.readFileSync(out, 'utf8');
    fs.writeFileSync(dir.file('twice.json'), text.replace('{', '{\n  "planId": "someone-else",'));
    const twice = await ledger('verify-export', dir.file('twice.json'), '--public-key', dir.file('public.pem'));
    expect(twice.code, twice.stdout).toBe(1);
    expect(twice.stderr).toMatch(/not an export bundle: planId is given twice/);
    expect(twice.stdout).not.toMatch(/^OK/m);
  }, 120_000);

  it('keeps an export or evidence pack already at the path unless --force replaces it, refusing before any work', async () => {
    const out = dir.file('kent.json');
    fs.writeFileSync(out, 'an earlier export\n');
    const again = await ledger('export', '--plan', 'kent', '--out', out, '-d', dir.path);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /--out .*kent\.json: a file is already there; name a new file, or give --force to replace it\nNothing was written\./,
    );
    expect(fs.readFileSync(out, 'utf8')).toBe('an earlier export\n');
    const forced = await ledger('export', '--plan', 'kent', '--out', out, '--force', '-d', dir.path);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toMatchObject({ events: expect.any(Array) });
    const pack = dir.file('kent.zip');
    fs.writeFileSync(pack, 'an earlier pack\n');
    const packAgain = await ledger('evidence-pack', 'kent', '--out', pack, '-d', dir.path);
    expect(packAgain.code).toBe(2);
    expect(packAgain.stderr).toMatch(/a file is already there/);
    expect(fs.readFileSync(pack, 'utf8')).toBe('an earlier pack\n');
  }, 60_000);

  it('exits 1 naming the stream, revision and position when the file was edited after a checkpoint', async () => {
    expect((await ledger('export', '--plan', 'kent', '--out', dir.file('kent.json'), '-d', dir.path)).code).toBe(0);
    const db = openAsAttacker(dir.file('ledger.db'));
    db.exec("UPDATE events SET body = replace(body, 'Section', 'Sectiom') WHERE position = 4");
    db.close();
    const result = await ledger('verify', '-d', dir.path);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAILED \(event-hash-mismatch\)/);
    expect(result.stdout).toMatch(/stream\s+plan-kent/);
    expect(result.stdout).toMatch(/position\s+4/);
  }, 60_000);

  it('verify --checkpoint names a plan rewritten with its checkpoint rows deleted, which the database alone lets pass', async () => {
    expect((await ledger('export', '--plan', 'kent', '--out', dir.file('kent.json'), '-d', dir.path)).code).toBe(0);
    const db = openAsAttacker(dir.file('ledger.db'));
    rewriteStreamWithFreshHashes(db, 'plan-kent', 0, 'Rewritten');
    db.exec('DELETE FROM checkpoints; DELETE FROM merkle_nodes');
    db.close();
    fs.rmSync(dir.file('ledger-checkpoint.json'));

    const alone = await ledger('verify', '-d', dir.path);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toMatch(/NOTE: no checkpoint kept outside the database/);

    const trusted = await ledger('verify', '-d', dir.path, '--checkpoint', dir.file('kent.json'));
    expect(trusted.code).toBe(1);
    expect(trusted.stdout).toMatch(/FAILED \(kept-checkpoint-root-mismatch\)/);
    expect(trusted.stdout).toMatch(/checkpoint\s+18/);
  }, 90_000);

  it('verify --checkpoint names the key that signed a checkpoint of another key, and an edited one by its signature', async () => {
    // Another ledger, with a key of its own, signs a checkpoint of the same size over other events.
    const other = makeTempDir('ledger-cli-other-');
    try {
      const otherKey = loadSigningKey({ dataDir: other.path }).key.keyId;
      const store = openSqliteEventStore({ file: other.file('ledger.db') });
      await seedPlans(store, 6);
      await store.close();
      expect((await ledger('export', '--plan', 'kent', '--out', other.file('kent.json'), '-d', other.path)).code).toBe(0);
      const ledgerKey = loadSigningKey({ dataDir: dir.path }).key.keyId;

      const foreign = await ledger('verify', '-d', dir.path, '--checkpoint', other.file('kent.json'));
      expect(foreign.code).toBe(1);
      expect(foreign.stdout).toMatch(/FAILED \(kept-checkpoint-invalid\)/);
      expect(foreign.stdout).toContain(`is signed by key ${otherKey}, but the ledger's key at that size is ${ledgerKey}`);
      // Key against key: what was found is the other key, not its signature.
      expect(foreign.stdout).toMatch(new RegExp(`^  expected\\s+${ledgerKey}$`, 'm'));
      expect(foreign.stdout).toMatch(new RegExp(`^  found\\s+${otherKey}$`, 'm'));

      // The ledger's own checkpoint, edited after it was signed: it names the ledger's key, and its signature is what fails.
      expect((await ledger('export', '--plan', 'kent', '--out', dir.file('kent.json'), '-d', dir.path)).code).toBe(0);
      const bundle = JSON.parse(fs.readFileSync(dir.file('kent.json'), 'utf8')) as { checkpoint: { rootHash: string; signature: string } };
      bundle.checkpoint.rootHash = 'ab'.repeat(32);
      fs.writeFileSync(dir.file('edited.json'), JSON.stringify(bundle));
      const edited = await ledger('verify', '-d', dir.path, '--checkpoint', dir.file('edited.json'));
      expect(edited.code).toBe(1);
      expect(edited.stdout).toMatch(/FAILED \(kept-checkpoint-invalid\)/);
      expect(edited.stdout).toContain(`names the ledger key ${ledgerKey}, but its signature does not verify against that key`);
      expect(edited.stdout).toMatch(new RegExp(`^  found\\s+${bundle.checkpoint.signature.replace(/[+/]/g, '\\$&')}$`, 'm'));
    } finally {
      other.remove();
    }
  }, 90_000);

  it('verify of a data dir without the private key asks for the public key (exit 2), and verifies with --public-key', async () => {
    // An auditor handed a copy of the data directory gets no private key with it (a backup keeps it out): the public key is enough.
    const pem = loadSigningKey({ dataDir: dir.path }).key.publicKeyPem;
    fs.rmSync(dir.file('ledger-signing-key.pem'));
    const withoutKey = await ledger('verify', '-d', dir.path);
    expect(withoutKey.code, withoutKey.stderr).toBe(2);
    expect(withoutKey.stderr).toContain('--public-key');
    expect(withoutKey.stdout).toBe('');
    fs.writeFileSync(dir.file('public.pem'), pem);
    const pinned = await ledger('verify', '-d', dir.path, '--public-key', dir.file('public.pem'));
    expect(pinned.code, pinned.stderr).toBe(0);
  });
});
