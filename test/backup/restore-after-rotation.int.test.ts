import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signManifest, type Manifest } from '../../src/backup/manifest.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { backupFixture } from './backup-fixture.ts';

const ledger = (...args: string[]) => spawnSync(process.execPath, ['bin/ledger.js', ...args], { encoding: 'utf8' });

/**
 * After the ledger's signing key is rotated, a backup's manifest is signed by the new key. The
 * operator's restore drill pins the key the ledger published (docs/operations.md), which may be the
 * old one: the restored ledger's key history, in which the old key endorsed the new, vouches for it.
 */
describe('a restore pinned with the key from before a rotation', () => {
  let fixture: Awaited<ReturnType<typeof backupFixture>>;
  afterEach(() => fixture.cleanup());

  it('restores a backup whose manifest the new key signed, and still refuses one the pinned key never endorsed', async () => {
    fixture = await backupFixture();
    const oldPem = fixture.key.publicKeyPem;
    const rotated = ledger('rotate-signing-key', '-d', fixture.dataDir, '--reason', 'yearly rotation');
    expect(rotated.status, rotated.stderr).toBe(0);
    const backedUp = ledger('backup', '--to', fixture.backupsDir, '-d', fixture.dataDir);
    expect(backedUp.status, backedUp.stdout + backedUp.stderr).toBe(0);
    const [folder] = fixture.entriesIn(fixture.backupsDir);
    const directory = path.join(fixture.backupsDir, folder!);
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as { signingKey: { keyId: string } };
    expect(manifest.signingKey.keyId).not.toBe(fixture.key.keyId);

    const into = path.join(fixture.temp('ledger-restore-').path, 'data');
    const restored = await fixture.restore(directory, into, { publicKeyPem: oldPem });
    expect(restored.events).toBeGreaterThan(0);

    // The manifest re-signed by a key of the forger's, naming the endorsed key's id: refused before anything is copied.
    const forged = path.join(fixture.temp('ledger-forged-').path, 'backup');
    fs.cpSync(directory, forged, { recursive: true });
    const forger = loadSigningKey({ dataDir: fixture.temp('ledger-forger-').path }).key;
    const { signature: _signature, ...unsigned } = JSON.parse(fs.readFileSync(path.join(forged, 'manifest.json'), 'utf8')) as Manifest;
    const resigned = signManifest(forger, { ...unsigned, signingKey: { ...unsigned.signingKey, publicKeyPem: forger.publicKeyPem } });
    for (const signatureKeyId of [forger.keyId, unsigned.signingKey.keyId]) {
      const manifestFile = path.join(forged, 'manifest.json');
      fs.writeFileSync(manifestFile, JSON.stringify({ ...resigned, signature: { ...resigned.signature, keyId: signatureKeyId } }));
      const forgedInto = path.join(fixture.temp('ledger-restore-').path, 'data');
      await expect(fixture.restore(forged, forgedInto, { publicKeyPem: oldPem })).rejects.toThrow(
        /^manifest\.json names key [0-9a-f]{16} but carries or is signed by another: it was edited after the backup$/,
      );
      expect(fixture.contentsOf(forgedInto)).toEqual([]);
    }

    // A key from another ledger endorses nothing here: refused, and the target left empty.
    const other = await backupFixture();
    try {
      const elsewhere = path.join(fixture.temp('ledger-restore-').path, 'data');
      await expect(fixture.restore(directory, elsewhere, { publicKeyPem: other.key.publicKeyPem })).rejects.toThrow(/did not endorse/);
      expect(fixture.contentsOf(elsewhere)).toEqual([]);
    } finally {
      await other.cleanup();
    }
  }, 120_000);
});
