import { describe, expect, it } from 'vitest';
import { fromHex, leafHash, verifyInclusion } from '../../src/integrity/merkle.ts';
import { CompactRange } from '../../src/integrity/merkle-proofs.ts';
import { verifyExport } from '../../src/integrity/verify-export.ts';
import { openAsAttacker, seedPlans, useLedger } from './ledger-fixture.ts';

/**
 * The Merkle node cache (merkle_nodes in ledger.db) is derived data. Verify recomputes every
 * stored node from the events, and nothing the ledger serves or signs is taken from a node
 * that does not match its children: the damage is named, the node rebuilt from the events.
 */
describe('the Merkle node cache is checked, never trusted', () => {
  const ctx = useLedger();

  const seedAndSign = async () => {
    await seedPlans(ctx.store, 8);
    expect((await ctx.ledger.checkpointNow()).checkpoint?.treeSize).toBe(24);
  };

  const overwriteNode = (level: number, index: number, byte = 0x07) => {
    const db = openAsAttacker(ctx.file);
    const changed = db.prepare('UPDATE merkle_nodes SET hash = ? WHERE level = ? AND idx = ?').run(Buffer.alloc(32, byte), level, index);
    db.close();
    expect(changed.changes).toBe(1);
  };

  it('verify names a stored node that no longer matches the events below it', async () => {
    await seedAndSign();
    overwriteNode(1, 0);
    const report = await ctx.ledger.verify();
    expect(report).toMatchObject({
      ok: false,
      failure: { kind: 'merkle-node-mismatch', position: '0', found: '07'.repeat(32) },
    });
    expect(report.failure?.message).toContain('level 1, index 0');
  });

  it('verify names a node high in the tree and a node deleted from the middle of the cache', async () => {
    await seedAndSign();
    overwriteNode(3, 1, 0x42);
    expect((await ctx.ledger.verify()).failure).toMatchObject({ kind: 'merkle-node-mismatch', position: '8', found: '42'.repeat(32) });

    const db = openAsAttacker(ctx.file);
    db.prepare('DELETE FROM merkle_nodes WHERE level = 3 AND idx = 1').run();
    db.close();
    expect((await ctx.ledger.verify()).failure).toMatchObject({ kind: 'merkle-node-mismatch', position: '8', found: '(none)' });
  });

  it('verify names damage it finds and rebuilds at the edge of the indexed tree', async () => {
    await seedAndSign();
    await seedPlans(ctx.store, 2, 'later');
    // The stored edge of the 24-leaf tree, from which indexing the six new events starts.
    overwriteNode(3, 2, 0x24);
    expect((await ctx.ledger.verify()).failure).toMatchObject({ kind: 'merkle-node-mismatch', position: '16', found: '24'.repeat(32) });
    expect((await ctx.ledger.verify()).ok).toBe(true);
  });

  it('names damage found and rebuilt while two verifications run at once in both of their reports', async () => {
    await seedAndSign();
    await seedPlans(ctx.store, 2, 'later');
    overwriteNode(3, 2, 0x24);
    // Two auditors asking at once (the page's "Verify now" and GET /ledger/verify, say): the node is rebuilt once, by
    // whichever run reaches it first, while both are running, so both found it.
    const reports = await Promise.all([ctx.ledger.verify(), ctx.ledger.verify()]);
    for (const report of reports)
      expect(report.failure).toMatchObject({ kind: 'merkle-node-mismatch', position: '16', found: '24'.repeat(32) });
    expect((await ctx.ledger.verify()).ok).toBe(true);
  });

  it('serves an inclusion proof that leads to the signed root after the node it needs was overwritten, and rebuilds that node', async () => {
    await seedAndSign();
    overwriteNode(1, 0);
    const damage: unknown[] = [];
    const answer = await ctx.ledger.inclusionProof((await ctx.store.findCommand('seed-plan-kent-0'))!.eventIds[0]!);
    const latest = (await ctx.ledger.checkpoints.latest())!;
    expect(answer.rootHash).toBe(latest.rootHash);
    expect(
      verifyInclusion({
        leafIndex: answer.leafIndex,
        treeSize: answer.treeSize,
        eventHash: fromHex(answer.eventHash),
        proof: answer.proof.map(fromHex),
        root: fromHex(latest.rootHash),
      }),
    ).toBe(true);
    damage.push(...ctx.damage.splice(0));
    // Its parent no longer matched it, so the cache was rebuilt from the events and the node replaced.
    expect(damage).toContainEqual({ level: 1, index: 0, stored: '07'.repeat(32), rebuilt: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await ctx.ledger.verify()).ok).toBe(true);
  });

  it('exports a plan whose every proof verifies offline, whatever was written into the cache', async () => {
    await seedAndSign();
    overwriteNode(1, 0);
    overwriteNode(2, 1, 0x11);
    const bundle = await ctx.ledger.exportPlan('dorset');
    expect(verifyExport(JSON.parse(JSON.stringify(bundle)), { trustedPublicKeyPem: ctx.key.publicKeyPem })).toMatchObject({ ok: true });
    expect(ctx.damage.length).toBeGreaterThan(0);
  });

  it('never signs a root taken from a damaged node', async () => {
    await seedPlans(ctx.store, 8);
    await ctx.ledger.tree.catchUp();
    // The root of 24 leaves is node(level 4, index 0) joined with node(level 3, index 2).
    overwriteNode(4, 0, 0x55);
    const { checkpoint } = await ctx.ledger.checkpointNow();
    const fromEvents = new CompactRange();
    for await (const event of ctx.store.readAll()) fromEvents.push(leafHash(fromHex(event.hash)));
    expect(checkpoint).toMatchObject({ treeSize: 24, rootHash: fromEvents.root().toString('hex') });
    expect(ctx.damage).toContainEqual({ level: 4, index: 0, stored: '55'.repeat(32), rebuilt: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await ctx.ledger.verify()).toMatchObject({ ok: true });
  });

  it('replaces a node stored ahead of the index with the one the events give, and says so', async () => {
    await seedPlans(ctx.store, 8);
    const db = openAsAttacker(ctx.file);
    db.prepare('INSERT INTO merkle_nodes (level, idx, hash) VALUES (1, 3, ?)').run(Buffer.alloc(32, 0x33));
    db.close();
    await ctx.ledger.tree.catchUp();
    expect(ctx.damage).toContainEqual({ level: 1, index: 3, stored: '33'.repeat(32), rebuilt: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await ctx.ledger.checkpointNow();
    expect((await ctx.ledger.verify()).ok).toBe(true);
  });
});
