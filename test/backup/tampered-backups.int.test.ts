import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupNotTrustworthy, BackupUsage } from '../../src/backup/backup-errors.ts';
import { MANIFEST_FILE } from '../../src/backup/manifest.ts';
import { WrongPassphrase } from '../../src/backup/signing-key-backup.ts';
import { backupFixture } from './backup-fixture.ts';

const PASSPHRASE = 'correct horse battery staple';

/** A restore that refuses leaves the target as it found it: no file a service could start on. */
describe('restore refuses a backup that is not what its manifest says, and writes nothing', () => {
  let fixture: Awaited<ReturnType<typeof backupFixture>>;
  afterEach(() => fixture.cleanup());

  const refused = async (from: string, expected: RegExp, kind: typeof BackupNotTrustworthy | typeof BackupUsage = BackupNotTrustworthy) => {
    const into = path.join(fixture.temp('ledger-restore-').path, 'data');
    const error = await fixture.restore(from, into).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(expected);
    expect(fixture.contentsOf(into)).toEqual([]);
  };

  it('names a database changed by one byte', async () => {
    fixture = await backupFixture();
    const { directory } = await fixture.take();
    const file = path.join(directory, 'data', 'access.db');
    const bytes = fs.readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
    fs.writeFileSync(file, bytes);
    await refused(directory, /^data\/access\.db has changed since the backup: sha256 [0-9a-f]{64} in the manifest, [0-9a-f]{64} found$/);
  });

  it('names the manifest when a claim in it was edited, even with the files untouched', async () => {
    fixture = await backupFixture();
    const { directory } = await fixture.take();
    const file = path.join(directory, MANIFEST_FILE);
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    manifest.ledger.events += 1;
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
    await refused(directory, /^manifest\.json was edited after the backup was taken: its signature does not verify$/);
  });

  it('names the manifest when a file and its sha256 in the manifest were both replaced', async () => {
    fixture = await backupFixture();
    const { directory } = await fixture.take();
    const aliases = path.join(directory, 'data', 'organisation-aliases.json');
    fs.writeFileSync(aliases, JSON.stringify({ organisations: [{ name: 'Dorset CCG', aliases: ['Someone else'] }] }));
    const file = path.join(directory, MANIFEST_FILE);
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    const entry = manifest.files.find((f: { path: string }) => f.path === 'data/organisation-aliases.json');
    entry.bytes = fs.statSync(aliases).size;
    entry.sha256 = (await import('node:crypto')).createHash('sha256').update(fs.readFileSync(aliases)).digest('hex');
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
    await refused(directory, /^manifest\.json was edited after the backup was taken/);
  });

  it('names a file added to the backup and a file removed from it', async () => {
    fixture = await backupFixture();
    const { directory } = await fixture.take();
    fs.writeFileSync(path.join(directory, 'data', 'extra.db'), 'not from the backup');
    await refused(directory, /^data\/extra\.db is in the backup but not in its manifest/);
    fs.rmSync(path.join(directory, 'data', 'extra.db'));
    fs.rmSync(path.join(directory, 'data', 'ledger-checkpoint.json'));
    await refused(directory, /^data\/ledger-checkpoint\.json is missing from the backup$/);
  });

  it('refuses a manifest signed by another key than the one the operator pins', async () => {
    fixture = await backupFixture();
    const other = await backupFixture();
    try {
      const { directory } = await fixture.take();
      const into = path.join(fixture.temp('ledger-restore-').path, 'data');
      await expect(fixture.restore(directory, into, { publicKeyPem: other.key.publicKeyPem })).rejects.toThrow(
        /^manifest\.json is signed by key [0-9a-f]{16}, which the ledger key you gave \([0-9a-f]{16}\) did not endorse in the restored ledger's key history: the backup is not this ledger's, or was edited/,
      );
      expect(fixture.contentsOf(into)).toEqual([]);
    } finally {
      await other.cleanup();
    }
  });

  it('refuses a folder without a manifest, and a target that is not empty, before writing anything', async () => {
    fixture = await backupFixture();
    const { directory } = await fixture.take();
    fs.rmSync(path.join(directory, MANIFEST_FILE));
    await refused(directory, /has no manifest\.json: it is not a complete backup/);
    const occupied = fixture.temp('ledger-restore-').path;
    fs.writeFileSync(path.join(occupied, 'ledger.db'), 'a ledger already here');
    await expect(fixture.restore(directory, occupied)).rejects.toThrow(/is not empty: restore only into a new or empty directory/);
    expect(fs.readFileSync(path.join(occupied, 'ledger.db'), 'utf8')).toBe('a ledger already here');
  });

  it('keeps the signing key encrypted: restored with the passphrase, refused without it or with a wrong one', async () => {
    fixture = await backupFixture();
    const { directory, manifest } = await fixture.take(PASSPHRASE);
    expect(manifest.signingKey).toMatchObject({ included: 'encrypted', keyId: fixture.key.keyId });
    expect(fs.readFileSync(path.join(directory, 'signing-key.enc.json'), 'utf8')).not.toContain('PRIVATE KEY');
    await refused(directory, /holds the signing key encrypted: give its passphrase/, BackupUsage);
    const wrong = path.join(fixture.temp('ledger-restore-').path, 'data');
    await expect(fixture.restore(directory, wrong, { passphrase: 'not the passphrase at all' })).rejects.toBeInstanceOf(WrongPassphrase);
    expect(fixture.contentsOf(wrong)).toEqual([]);
    const into = path.join(fixture.temp('ledger-restore-').path, 'data');
    const result = await fixture.restore(directory, into, { passphrase: PASSPHRASE });
    expect(result.signingKey).toBe('restored');
    expect(fs.readFileSync(path.join(into, 'ledger-signing-key.pem'), 'utf8')).toBe(
      fixture.key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    );
    expect(fs.statSync(path.join(into, 'ledger-signing-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('restores what the manifest describes, verified against a checkpoint an auditor kept before the backup', async () => {
    fixture = await backupFixture();
    const kept = fixture.checkpoint;
    await fixture.append(5);
    const { directory, manifest } = await fixture.take();
    expect(manifest.ledger).toMatchObject({ events: 17, headPosition: '16' });
    expect(manifest.ledger.chainHeads.map((h) => h.stream)).toEqual(['plan-p0', 'plan-p1', 'plan-p2']);
    const into = path.join(fixture.temp('ledger-restore-').path, 'data');
    const lines: string[] = [];
    const result = await fixture.restore(directory, into, {
      supplied: [{ checkpoint: kept, source: 'the checkpoint the auditor kept' }],
      say: (line) => lines.push(line),
    });
    expect(result.events).toBe(17);
    expect(lines).toContain(`compared with checkpoint ${kept.treeSize}: the checkpoint the auditor kept`);
    expect(fixture.contentsOf(into).sort()).toEqual(
      expect.arrayContaining(['access-log.db', 'access.db', 'ledger-checkpoint.json', 'ledger.db', 'read-models.db']),
    );
  });
});
