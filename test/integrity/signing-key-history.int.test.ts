import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CheckpointRefused } from '../../src/integrity/errors.ts';
import type { ExportBundle } from '../../src/integrity/export-bundle.ts';
import { readKeyHistory } from '../../src/integrity/key-history.ts';
import { recordRotation } from '../../src/integrity/key-history-record.ts';
import { endorsedRotation } from '../../src/integrity/key-rotation.ts';
import { DEFAULT_KEY_FILE, loadSigningKey, verificationKeyFromPem, type LedgerSigningKey } from '../../src/integrity/signing-key.ts';
import { openSigningKeyInForce, SigningKeyRefused } from '../../src/integrity/signing-key-in-force.ts';
import { verifyExport } from '../../src/integrity/verify-export.ts';
import { openLedgerIntegrity } from '../support/sqlite-integrity.ts';
import { openAsAttacker, seedPlans, useLedger } from './ledger-fixture.ts';

const operator = { id: 'ops', name: 'Operator', organisation: 'Trust IT', role: 'operator' };
const newPem = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const onDisk = (bundle: ExportBundle) => JSON.parse(JSON.stringify(bundle)) as ExportBundle;

/**
 * The ledger's signing key against its recorded history: a lost or replaced key stops the
 * start unless the operator asks for a new key, which the ledger records, visibly marked; a
 * planned rotation is endorsed by the old key; verify and verify-export accept that history.
 */
describe("the ledger's signing key and its recorded history", () => {
  const ctx = useLedger();

  const signedLedger = async () => {
    await seedPlans(ctx.store, 4);
    await ctx.ledger.checkpointNow();
  };

  const keyInForce = (options: { replaceLostKey?: string; pem?: string } = {}) =>
    openSigningKeyInForce({
      source: { dataDir: ctx.dir.path, ...(options.pem ? { pem: options.pem } : {}) },
      events: ctx.store,
      checkpoints: ctx.ledger.checkpoints,
      replaceLostKey: options.replaceLostKey,
      operator,
    });

  /** The integrity services as a process holding `key` has them. */
  const withKey = async <T>(
    key: LedgerSigningKey | ReturnType<typeof verificationKeyFromPem>,
    use: (ledger: typeof ctx.ledger) => Promise<T>,
  ) => {
    const ledger = openLedgerIntegrity({ file: ctx.file, key, events: ctx.store });
    try {
      return await use(ledger);
    } finally {
      await ledger.close();
    }
  };

  it('starts a new ledger with a new key, and a signed ledger with the key it signs with', async () => {
    fs.rmSync(ctx.dir.file(DEFAULT_KEY_FILE));
    const first = await keyInForce();
    expect(first.generated).toBe(ctx.dir.file(DEFAULT_KEY_FILE));
    await seedPlans(ctx.store, 4);
    await withKey(first.key, (ledger) => ledger.checkpointNow());
    expect(await keyInForce()).toEqual({ key: expect.objectContaining({ keyId: first.key.keyId }) });
  });

  it('refuses to start when the ledger has checkpoints and its key is missing, in one line naming the flag', async () => {
    await signedLedger();
    fs.rmSync(ctx.dir.file(DEFAULT_KEY_FILE));
    const refusal = await keyInForce().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SigningKeyRefused);
    const message = (refusal as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(ctx.key.keyId);
    expect(message).toContain('`ledger serve --new-signing-key`');
    expect(fs.existsSync(ctx.dir.file(DEFAULT_KEY_FILE))).toBe(false);
  });

  it('refuses a key the ledger never recorded, and a key it retired', async () => {
    await signedLedger();
    const stranger = await keyInForce({ pem: newPem() }).catch((error: unknown) => error);
    expect((stranger as Error).message).toMatch(/records no change to .* --new-signing-key/);

    const next = loadSigningKey({ pem: newPem(), dataDir: ctx.dir.path }).key;
    const { rotations } = await readKeyHistory(ctx.store);
    await recordRotation(ctx.store, endorsedRotation(ctx.key, next, new Date().toISOString(), 'planned'), rotations, operator, new Date());
    const retired = await keyInForce().catch((error: unknown) => error);
    expect(retired).toBeInstanceOf(SigningKeyRefused);
    expect((retired as Error).message).toContain(`which the ledger retired at position 12`);
    expect((retired as Error).message).toContain(`the current key is ${next.keyId}`);
    // An instance still holding the retired key does not sign.
    await expect(ctx.ledger.checkpointNow()).rejects.toBeInstanceOf(CheckpointRefused);
  });

  it("records an operator's replacement of a lost key, visibly marked, and verifies the ledger against the new key", async () => {
    await signedLedger();
    const lost = ctx.key;
    fs.rmSync(ctx.dir.file(DEFAULT_KEY_FILE));
    const { key, generated, rotation } = await keyInForce({ replaceLostKey: 'the key file was deleted with the old server' });
    expect(generated).toBe(ctx.dir.file(DEFAULT_KEY_FILE));
    expect(rotation).toMatchObject({
      from: { keyId: lost.keyId },
      to: { keyId: key.keyId },
      oldKeyLost: true,
      endorsement: null,
      position: 12n,
    });

    const { report, bundle } = await withKey(key, async (ledger) => {
      const { checkpoint } = await ledger.checkpointNow();
      expect(checkpoint).toMatchObject({ treeSize: 13, keyId: key.keyId, previous: { treeSize: 12 } });
      return { report: await ledger.verify(), bundle: onDisk(await ledger.exportPlan('devon')) };
    });
    expect(report.failure, JSON.stringify(report.failure)).toBeUndefined();
    expect(report).toMatchObject({ ok: true, checkpointsChecked: 2 });
    expect(report.keyHistory).toEqual([
      { keyId: lost.keyId, since: null, how: 'first' },
      {
        keyId: key.keyId,
        since: '12',
        how: 'old-key-lost',
        rotatedAt: expect.any(String),
        reason: 'the key file was deleted with the old server',
      },
    ]);
    // The lost key vouches for nothing signed after it was replaced without its word.
    const withLost = await withKey(verificationKeyFromPem(lost.publicKeyPem), (ledger) => ledger.verify());
    expect(withLost.failure).toMatchObject({ kind: 'key-not-endorsed', position: '12' });
    expect(verifyExport(bundle, { trustedPublicKeyPem: key.publicKeyPem })).toMatchObject({ ok: true, keyPinned: true });
    expect(verifyExport(bundle, { trustedPublicKeyPem: lost.publicKeyPem }).failure).toMatchObject({ kind: 'key-not-endorsed' });
  });

  it('accepts a planned rotation the old key endorsed: verify with either key, and an export against the old pinned key', async () => {
    await signedLedger();
    const old = ctx.key;
    const next = loadSigningKey({ pem: newPem(), dataDir: ctx.dir.path }).key;
    const { rotations } = await readKeyHistory(ctx.store);
    await recordRotation(
      ctx.store,
      endorsedRotation(old, next, new Date().toISOString(), 'yearly rotation'),
      rotations,
      operator,
      new Date(),
    );
    const bundle = await withKey(next, async (ledger) => {
      await ledger.checkpointNow();
      await seedPlans(ctx.store, 2, 'after');
      return onDisk(await ledger.exportPlan('kent'));
    });
    expect(bundle.keyHistory).toHaveLength(1);
    for (const key of [old, next]) {
      const report = await withKey(verificationKeyFromPem(key.publicKeyPem), (ledger) => ledger.verify());
      expect(report, key.keyId).toMatchObject({ ok: true, keyHistory: [{ how: 'first' }, { keyId: next.keyId, how: 'endorsed' }] });
    }
    expect(verifyExport(bundle, { trustedPublicKeyPem: old.publicKeyPem })).toMatchObject({
      ok: true,
      keyId: next.keyId,
      endorsedThrough: [old.keyId, next.keyId],
    });
    expect(verifyExport(bundle, { trustedPublicKeyPem: next.publicKeyPem })).toMatchObject({ ok: true, keyId: next.keyId });
    // A key from elsewhere is still no key of this ledger.
    expect(verifyExport(bundle, { trustedPublicKeyPem: verificationKeyFromPem(newPem()).publicKeyPem }).failure).toMatchObject({
      kind: 'untrusted-key',
    });
    const stranger = loadSigningKey({ pem: newPem(), dataDir: ctx.dir.path }).key;
    expect((await withKey(verificationKeyFromPem(stranger.publicKeyPem), (ledger) => ledger.verify())).failure).toMatchObject({
      kind: 'untrusted-key',
    });
  });

  it('names a recorded rotation that does not hold: a new key its holder never signed for', async () => {
    await signedLedger();
    const next = loadSigningKey({ pem: newPem(), dataDir: ctx.dir.path }).key;
    const rotation = endorsedRotation(ctx.key, next, new Date().toISOString(), 'planned');
    await recordRotation(ctx.store, { ...rotation, acceptance: rotation.endorsement! }, [], operator, new Date());
    expect((await ctx.ledger.verify()).failure).toMatchObject({ kind: 'key-history-invalid', position: '12' });
    expect((await ctx.ledger.verify()).failure?.message).toContain(`it is not signed by its new key ${next.keyId}`);
  });

  it('names a checkpoint signed by a key other than the one in force at its size', async () => {
    await signedLedger();
    const next = loadSigningKey({ pem: newPem(), dataDir: ctx.dir.path }).key;
    await recordRotation(ctx.store, endorsedRotation(ctx.key, next, new Date().toISOString(), 'planned'), [], operator, new Date());
    await withKey(next, (ledger) => ledger.checkpointNow());
    // The old key signs a checkpoint past the rotation: a stolen key at work.
    await seedPlans(ctx.store, 2, 'later');
    const db = openAsAttacker(ctx.file);
    const forged = await withKey(next, async (ledger) => {
      await ledger.checkpointNow();
      return ledger.checkpoints.latest();
    });
    db.prepare('UPDATE checkpoints SET key_id = ? WHERE tree_size = ?').run(ctx.key.keyId, forged!.treeSize);
    db.close();
    expect((await withKey(next, (ledger) => ledger.verify())).failure).toMatchObject({
      kind: 'checkpoint-signature-invalid',
      checkpointTreeSize: forged!.treeSize,
      // Key against key: the output's expected and found lines compare like with like.
      expected: next.keyId,
      found: ctx.key.keyId,
    });
  });
});
