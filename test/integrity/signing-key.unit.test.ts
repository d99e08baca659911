import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointSignatureValid, rawPublicKey, signCheckpoint } from '../../src/integrity/checkpoint.ts';
import { startCheckpointSchedule } from '../../src/integrity/checkpoint-schedule.ts';
import { DEFAULT_KEY_FILE, NoSigningKey, loadSigningKey } from '../../src/integrity/signing-key.ts';
import { makeTempDir } from '../support/temp-dir.ts';

describe('the ledger signing key', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('ledger-key-');
  });
  afterEach(() => dir.remove());

  it('is generated once on first start, readable only by its owner, and the same key afterwards', () => {
    const first = loadSigningKey({ dataDir: dir.path });
    expect(first.generated).toBe(dir.file(DEFAULT_KEY_FILE));
    expect(fs.statSync(dir.file(DEFAULT_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = loadSigningKey({ dataDir: dir.path });
    expect(again.generated).toBeUndefined();
    expect(again.key.keyId).toBe(first.key.keyId);
    expect(again.key.publicKeyPem).toBe(first.key.publicKeyPem);
  });

  it('comes from PEM text or a file when configured, and is never invented by tools that only verify', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    fs.writeFileSync(dir.file('k.pem'), pem);
    const fromEnv = loadSigningKey({ pem, dataDir: dir.path }).key;
    expect(loadSigningKey({ file: dir.file('k.pem'), dataDir: dir.path }).key.keyId).toBe(fromEnv.keyId);
    expect(fs.existsSync(dir.file(DEFAULT_KEY_FILE))).toBe(false);
    expect(() => loadSigningKey({ dataDir: dir.path, generate: false })).toThrow(NoSigningKey);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => loadSigningKey({ pem: rsa, dataDir: dir.path })).toThrow(/Ed25519/);
  });

  it('signs checkpoints whose every field the signature covers', () => {
    const { key } = loadSigningKey({ dataDir: dir.path });
    const c = signCheckpoint(key, { treeSize: 5, rootHash: 'a'.repeat(64), issuedAt: '2026-11-23T15:00:00.000Z' }, undefined);
    expect(checkpointSignatureValid(c, key.publicKey)).toBe(true);
    for (const change of [
      { treeSize: 6 },
      { rootHash: 'b'.repeat(64) },
      { issuedAt: '2026-11-23T15:00:01.000Z' },
      { keyId: '0'.repeat(16) },
      { previous: { treeSize: 3, hash: 'c'.repeat(64) } },
      { publicKey: rawPublicKey(generateKeyPairSync('ed25519').publicKey) },
    ]) {
      expect(checkpointSignatureValid({ ...c, ...change }, key.publicKey)).toBe(false);
    }
    expect(checkpointSignatureValid(c, generateKeyPairSync('ed25519').publicKey)).toBe(false);
  });
});

describe('the checkpoint schedule', () => {
  it('asks for a checkpoint every interval, reports only new ones, survives a failure and stops cleanly', async () => {
    let calls = 0;
    const signed: number[] = [];
    const failures: unknown[] = [];
    const schedule = startCheckpointSchedule(
      async () => {
        calls++;
        if (calls === 2) throw new Error('disk busy');
        const checkpoint = {
          treeSize: calls,
          rootHash: 'a'.repeat(64),
          issuedAt: new Date().toISOString(),
          keyId: '0'.repeat(16),
          signature: 'x',
        };
        return { checkpoint, created: calls !== 3 };
      },
      10,
      { signed: (c) => signed.push(c.treeSize), failed: (e) => failures.push(e) },
    );
    // Wait for four asks rather than a fixed time: on a busy machine timers fire late.
    for (let waited = 0; calls < 4 && waited < 10_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    await schedule.stop();
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(calls).toBe(after);
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(failures).toHaveLength(1);
    expect(signed).toContain(1);
    expect(signed).not.toContain(2);
    expect(signed).not.toContain(3);
  });

  const checkpointOf = (treeSize: number) => ({
    treeSize,
    rootHash: 'a'.repeat(64),
    issuedAt: new Date().toISOString(),
    keyId: '0'.repeat(16),
    signature: 'x',
  });

  it('signs at once when it starts, so a ledger that already has events is signed from its first moments', async () => {
    const signed: number[] = [];
    const schedule = startCheckpointSchedule(async () => ({ checkpoint: checkpointOf(7), created: true }), 60_000, {
      signed: (c) => signed.push(c.treeSize),
      failed: () => undefined,
    });
    await schedule.stop();
    expect(signed).toEqual([7]);
  });

  it('looks at an empty ledger every poll until its first checkpoint, then waits the whole interval', async () => {
    let calls = 0;
    const schedule = startCheckpointSchedule(
      async () => {
        calls++;
        return calls <= 3 ? { checkpoint: undefined, created: false } : { checkpoint: checkpointOf(calls), created: true };
      },
      60_000,
      { signed: () => undefined, failed: () => undefined },
      10,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await schedule.stop();
    expect(calls).toBe(4);
  });
});
