import { describe, expect, it } from 'vitest';
import { checkpointText, type Checkpoint } from '../../src/integrity/checkpoint.ts';
import { signText } from '../../src/integrity/signed-text.ts';
import { openLedgerIntegrity } from '../support/sqlite-integrity.ts';
import { openAsAttacker, seedPlans, useLedger } from './ledger-fixture.ts';

/**
 * Each checkpoint names the one signed before it, so the ledger's checkpoints prove their own
 * completeness: a deleted one is named by the next, wherever it was but at the very end.
 */
describe('checkpoints form a series that proves its own completeness', () => {
  const ctx = useLedger();

  /** Four checkpoints, at 6, 12, 18 and 24 events. */
  const signFour = async () => {
    for (let round = 0; round < 4; round++) {
      await seedPlans(ctx.store, 2, `round-${round}`);
      expect((await ctx.ledger.checkpointNow()).created).toBe(true);
    }
    return ctx.ledger.checkpoints.all();
  };

  const deleteCheckpoint = (treeSize: number) => {
    const db = openAsAttacker(ctx.file);
    db.prepare('DELETE FROM checkpoints WHERE tree_size = ?').run(treeSize);
    db.close();
  };

  it('signs each checkpoint after the one before it', async () => {
    const all = await signFour();
    expect(all.map((c) => [c.treeSize, c.previous?.treeSize ?? null])).toEqual([
      [6, null],
      [12, 6],
      [18, 12],
      [24, 18],
    ]);
    expect((await ctx.ledger.verify()).ok).toBe(true);
  });

  it('names a checkpoint deleted from the middle (triggers dropped, a row neither the first nor the latest)', async () => {
    await signFour();
    deleteCheckpoint(12);
    const report = await ctx.ledger.verify();
    expect(report).toMatchObject({ ok: false, failure: { kind: 'checkpoint-missing', checkpointTreeSize: 12 } });
    expect(report.failure!.message).toBe(
      'checkpoint 18 was signed after checkpoint 12, which the ledger no longer holds: a checkpoint was deleted',
    );
  });

  it('names the first checkpoint deleted too', async () => {
    await signFour();
    deleteCheckpoint(6);
    expect((await ctx.ledger.verify()).failure).toMatchObject({ kind: 'checkpoint-missing', checkpointTreeSize: 6 });
  });

  it('names a checkpoint replaced by another the ledger key signed, and one slipped in between', async () => {
    const all = await signFour();
    const twelve = all[1]!;
    // Re-signed with a later time: a valid signature, but not the checkpoint 18 was signed after.
    const { signature: _signature, ...fields } = { ...twelve, issuedAt: new Date().toISOString() };
    const resigned: Checkpoint = { ...fields, signature: signText(ctx.key, checkpointText(fields)) };
    const db = openAsAttacker(ctx.file);
    db.prepare('UPDATE checkpoints SET issued_at = ?, signature = ? WHERE tree_size = 12').run(resigned.issuedAt, resigned.signature);
    db.close();
    expect((await ctx.ledger.verify()).failure).toMatchObject({ kind: 'checkpoint-series-broken', checkpointTreeSize: 18 });
  });

  it('keeps checkpoints signed before the series as they are, and links the first of the series to the last of them', async () => {
    await seedPlans(ctx.store, 2);
    // A checkpoint as an earlier version signed it: no key, no predecessor.
    const { checkpoint: signed } = await ctx.ledger.checkpointNow();
    const { publicKey: _key, previous: _previous, signature: _signature, ...v1 } = signed!;
    const legacy: Checkpoint = { ...v1, signature: signText(ctx.key, checkpointText(v1)) };
    const db = openAsAttacker(ctx.file);
    db.prepare(
      'UPDATE checkpoints SET signature = ?, public_key = NULL, previous_tree_size = NULL, previous_hash = NULL WHERE tree_size = 6',
    ).run(legacy.signature);
    db.close();
    await seedPlans(ctx.store, 2, 'later');
    const { checkpoint: next } = await ctx.ledger.checkpointNow();
    expect(next?.previous?.treeSize).toBe(6);
    expect(await ctx.ledger.verify()).toMatchObject({ ok: true, checkpointsChecked: 2 });
  });

  it('stays one series when several signers race: each signs again after whichever was stored first', async () => {
    await seedPlans(ctx.store, 2);
    await ctx.ledger.checkpointNow();
    await seedPlans(ctx.store, 2, 'more');
    // Another instance on the same ledger, with its own connection and tree index.
    const other = openLedgerIntegrity({ file: ctx.file, key: ctx.key, events: ctx.store });
    try {
      const results = await Promise.all([ctx.ledger.checkpointNow(), other.checkpointNow(), ctx.ledger.checkpointNow()]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect((await ctx.ledger.checkpoints.all()).map((c) => c.treeSize)).toEqual([6, 12]);
      expect((await other.verify()).ok).toBe(true);
    } finally {
      await other.close();
    }
  });
});
