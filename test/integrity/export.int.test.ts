import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ExportBundle } from '../../src/integrity/export-bundle.ts';
import { UnknownPlan } from '../../src/integrity/errors.ts';
import { verifyExport } from '../../src/integrity/verify-export.ts';
import { seedPlans, useLedger } from './ledger-fixture.ts';

/** Round trip through JSON text, as the file on the inquiry team's laptop is. */
const onDisk = (bundle: ExportBundle): ExportBundle => JSON.parse(JSON.stringify(bundle)) as ExportBundle;

describe('plan export, verified offline', () => {
  const ctx = useLedger();

  const exportDevon = async () => {
    await seedPlans(ctx.store, 8);
    return onDisk(await ctx.ledger.exportPlan('devon'));
  };

  it('exports every event of the plan with proofs against a fresh signed checkpoint, and the bundle verifies', async () => {
    const bundle = await exportDevon();
    expect(bundle.events.map((e) => e.revision)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(bundle.checkpoint).toEqual(ctx.ledger.checkpoints.latest());
    expect(bundle.checkpoint.treeSize).toBe(24);
    const report = verifyExport(bundle, { trustedPublicKeyPem: ctx.key.publicKeyPem });
    expect(report).toMatchObject({ ok: true, eventsChecked: 8, checkpointsChecked: 1, keyId: ctx.key.keyId });
  });

  it('fails with one event removed from the middle, the start or the end', async () => {
    const bundle = await exportDevon();
    const without = (i: number) => ({ ...bundle, events: bundle.events.filter((_, j) => j !== i) });
    expect(verifyExport(without(3)).failure).toMatchObject({ kind: 'revision-gap', revision: '4', expected: '3', found: '4' });
    expect(verifyExport(without(0)).failure).toMatchObject({ kind: 'revision-gap', revision: '1', expected: '0' });
    expect(verifyExport(without(7)).failure).toMatchObject({ kind: 'revision-gap', expected: '7', found: '6' });
  });

  it('fails when an event is renumbered to hide the gap: its chain link and hash no longer fit', async () => {
    const bundle = await exportDevon();
    const events = bundle.events.filter((_, j) => j !== 3).map((e, j) => ({ ...e, revision: String(j) }));
    expect(verifyExport({ ...bundle, events, streamRevision: '6' }).failure).toMatchObject({ kind: 'chain-broken', revision: '3' });
  });

  it('fails when an event’s content is changed', async () => {
    const bundle = await exportDevon();
    const [first, ...rest] = bundle.events;
    const edited = { ...first!, event: { ...first!.event, recordedAt: '2015-10-01T09:00:00.000Z' } };
    expect(verifyExport({ ...bundle, events: [edited, ...rest] }).failure).toMatchObject({ kind: 'event-hash-mismatch', revision: '0' });
  });

  it('fails on a forged inclusion proof, a re-signed checkpoint by another key, and garbage', async () => {
    const bundle = await exportDevon();
    const forged = bundle.events.map((e, i) => (i === 2 ? { ...e, inclusionProof: e.inclusionProof.map((h, k) => (k === 0 ? 'f'.repeat(64) : h)) } : e));
    expect(verifyExport({ ...bundle, events: forged }).failure).toMatchObject({ kind: 'inclusion-proof-invalid', revision: '2' });

    const otherKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(verifyExport(bundle, { trustedPublicKeyPem: otherKey }).failure).toMatchObject({ kind: 'untrusted-key' });
    expect(verifyExport({ ...bundle, checkpoint: { ...bundle.checkpoint, treeSize: 25 } }).failure).toMatchObject({ kind: 'checkpoint-signature-invalid' });
    expect(verifyExport({ hello: 'world' }).failure).toMatchObject({ kind: 'malformed-export' });
  });

  it('refuses to export a plan the ledger does not hold', async () => {
    await seedPlans(ctx.store, 2);
    await expect(ctx.ledger.exportPlan('nowhere')).rejects.toThrow(UnknownPlan);
  });
});
