import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ExportBundle } from '../../src/integrity/export-bundle.ts';
import { UnknownPlan } from '../../src/integrity/errors.ts';
import { verifyExport } from '../../src/integrity/verify-export.ts';
import { makeEvent } from '../support/events.ts';
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
    expect(bundle.checkpoint).toEqual(await ctx.ledger.checkpoints.latest());
    expect(bundle.checkpoint.treeSize).toBe(24);
    const report = verifyExport(bundle, { trustedPublicKeyPem: ctx.key.publicKeyPem });
    expect(report).toMatchObject({
      ok: true,
      eventsChecked: 8,
      checkpointsChecked: 1,
      keyId: ctx.key.keyId,
      planId: 'devon',
      keyPinned: true,
    });
    expect(bundle.planHead).toMatchObject({
      planId: 'devon',
      stream: 'plan-devon',
      lastRevision: '7',
      lastEventHash: bundle.events[7]!.hash,
      treeSize: 24,
      keyId: ctx.key.keyId,
    });
  });

  it('passes without a pinned key only as unpinned: the checks hold, but against the key inside the bundle', async () => {
    const bundle = await exportDevon();
    expect(verifyExport(bundle)).toMatchObject({ ok: true, keyPinned: false });
  });

  it('fails a bundle of one plan relabelled as another', async () => {
    await seedPlans(ctx.store, 4);
    const dorset = onDisk(await ctx.ledger.exportPlan('dorset'));
    const pem = { trustedPublicKeyPem: ctx.key.publicKeyPem };
    expect(verifyExport({ ...dorset, planId: 'devon' }, pem)).toMatchObject({
      ok: false,
      planId: 'devon',
      failure: { kind: 'wrong-plan', expected: 'plan-devon', found: 'plan-dorset' },
    });
    // Renaming the stream too breaks every hash, which binds the stream.
    expect(verifyExport({ ...dorset, planId: 'devon', stream: 'plan-devon' }, pem).failure).toMatchObject({
      kind: 'event-hash-mismatch',
      revision: '0',
    });
  });

  it('fails an event whose data names another plan than the one exported', async () => {
    await seedPlans(ctx.store, 2);
    await ctx.store.append({
      stream: 'plan-devon',
      events: [makeEvent({ commandId: 'stray', data: { planId: 'dorset', sectionRef: '9', title: 'Stray' } })],
      expectedRevision: 'any',
      commandId: 'stray',
    });
    const bundle = onDisk(await ctx.ledger.exportPlan('devon'));
    expect(verifyExport(bundle, { trustedPublicKeyPem: ctx.key.publicKeyPem }).failure).toMatchObject({
      kind: 'wrong-plan',
      revision: '2',
      expected: 'devon',
      found: 'dorset',
    });
  });

  it('fails when the plan’s last events are removed and streamRevision lowered to match: the signed plan head names the real end', async () => {
    const bundle = await exportDevon();
    const pem = { trustedPublicKeyPem: ctx.key.publicKeyPem };
    const cut = { ...bundle, events: bundle.events.slice(0, 6), streamRevision: '5' };
    expect(verifyExport(cut, pem).failure).toMatchObject({
      kind: 'plan-head-invalid',
      stream: 'plan-devon',
      revision: '5',
      expected: '7',
      found: '5',
    });
    // Nor can the head be lowered to match: it is signed.
    expect(
      verifyExport({ ...cut, planHead: { ...bundle.planHead, lastRevision: '5', lastEventHash: bundle.events[5]!.hash } }, pem).failure,
    ).toMatchObject({ kind: 'plan-head-invalid' });
    const { planHead: _, ...withoutHead } = bundle;
    expect(verifyExport(withoutHead, pem).failure).toMatchObject({ kind: 'malformed-export' });
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
    const forged = bundle.events.map((e, i) =>
      i === 2 ? { ...e, inclusionProof: e.inclusionProof.map((h, k) => (k === 0 ? 'f'.repeat(64) : h)) } : e,
    );
    expect(verifyExport({ ...bundle, events: forged }).failure).toMatchObject({ kind: 'inclusion-proof-invalid', revision: '2' });

    const otherKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(verifyExport(bundle, { trustedPublicKeyPem: otherKey }).failure).toMatchObject({ kind: 'untrusted-key' });
    expect(verifyExport({ ...bundle, checkpoint: { ...bundle.checkpoint, treeSize: 25 } }).failure).toMatchObject({
      kind: 'checkpoint-signature-invalid',
    });
    expect(verifyExport({ hello: 'world' }).failure).toMatchObject({ kind: 'malformed-export' });
  });

  it('refuses to export a plan the ledger does not hold', async () => {
    await seedPlans(ctx.store, 2);
    await expect(ctx.ledger.exportPlan('nowhere')).rejects.toThrow(UnknownPlan);
  });
});
