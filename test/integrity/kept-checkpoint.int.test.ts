import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/integrity/checkpoint.ts';
import { CheckpointRefused } from '../../src/integrity/errors.ts';
import { openLedgerIntegrity } from '../support/sqlite-integrity.ts';
import { openAsAttacker, rewriteStreamWithFreshHashes, seedPlans, useLedger } from './ledger-fixture.ts';

/**
 * Attacks that also delete the database's own checkpoints: only a checkpoint kept outside the
 * SQLite file (the copy beside it, or one the auditor saved) can catch them. 36 events in three
 * plans; checkpoints at 18 and 36.
 */
describe('checkpoints kept outside the database catch what the database alone cannot', () => {
  const ctx = useLedger();

  const seedAndSign = async () => {
    await seedPlans(ctx.store, 6, 'first');
    const first = (await ctx.ledger.checkpointNow()).checkpoint!;
    await seedPlans(ctx.store, 6, 'second');
    const second = (await ctx.ledger.checkpointNow()).checkpoint!;
    expect([first.treeSize, second.treeSize]).toEqual([18, 36]);
    return { first, second };
  };

  /** Plan Devon rewritten from revision 1 on with freshly computed hashes, as someone with the file can. */
  const rewriteDevon = () => {
    const db = openAsAttacker(ctx.file);
    rewriteStreamWithFreshHashes(db, 'plan-devon', 1, 'Rewritten after the fact');
    return db;
  };

  /** A fresh process over the tampered file: nothing cached from before the attack. */
  const reopen = async () => {
    await ctx.ledger.close();
    ctx.ledger = openLedgerIntegrity({ file: ctx.file, key: ctx.key, events: ctx.store });
  };

  const withoutCopy = () => fs.rmSync(ctx.ledger.keptCheckpointFile);
  const supplied = (checkpoint: Checkpoint) => [{ checkpoint, source: 'the checkpoint you supplied' }];

  it('keeps a copy of the latest checkpoint beside the ledger, and a sound ledger verifies against it', async () => {
    const { second } = await seedAndSign();
    expect(JSON.parse(fs.readFileSync(ctx.dir.file('ledger-checkpoint.json'), 'utf8'))).toEqual(second);
    const report = await ctx.ledger.verify();
    expect(report).toMatchObject({ ok: true, checkpointsChecked: 2, keptCheckpoints: [{ treeSize: 36 }] });
    expect(await ctx.ledger.verify(undefined, { supplied: supplied(second) })).toMatchObject({ ok: true });
  });

  it('checkpoint rows deleted after rewriting a stream: passes on the database alone, caught by a trusted checkpoint and by the kept copy', async () => {
    const { first } = await seedAndSign();
    const db = rewriteDevon();
    db.exec('DELETE FROM checkpoints; DELETE FROM merkle_nodes');
    db.close();
    await reopen();

    // What the reviewer showed: with the copy gone too, the database vouches for itself.
    const copy = fs.readFileSync(ctx.ledger.keptCheckpointFile);
    withoutCopy();
    expect((await ctx.ledger.verify()).ok).toBe(true);

    const trusted = await ctx.ledger.verify(undefined, { supplied: supplied(first) });
    expect(trusted).toMatchObject({
      ok: false,
      eventsChecked: 18,
      failure: { kind: 'kept-checkpoint-root-mismatch', checkpointTreeSize: 18, expected: first.rootHash },
    });
    expect(trusted.failure!.message).toMatch(/the checkpoint you supplied.*no longer holds that checkpoint/);

    fs.writeFileSync(ctx.ledger.keptCheckpointFile, copy);
    const kept = await ctx.ledger.verify();
    expect(kept.failure).toMatchObject({ kind: 'kept-checkpoint-root-mismatch', checkpointTreeSize: 36 });
    expect(kept.failure!.message).toContain(ctx.ledger.keptCheckpointFile);
  });

  it('refuses to sign the rewritten history while the kept copy exists, and writes nothing', async () => {
    const { second } = await seedAndSign();
    await seedPlans(ctx.store, 2, 'third');
    const db = rewriteDevon();
    db.exec('DELETE FROM checkpoints; DELETE FROM merkle_nodes');
    db.close();
    await reopen();
    await expect(ctx.ledger.checkpointNow()).rejects.toThrow(CheckpointRefused);
    await expect(ctx.ledger.checkpointNow()).rejects.toThrow(/first 36 events have root .* history was rewritten/);
    expect(await ctx.ledger.checkpoints.all()).toEqual([]);
    expect(JSON.parse(fs.readFileSync(ctx.ledger.keptCheckpointFile, 'utf8'))).toEqual(second);
  });

  it('end cut off and later checkpoints deleted: caught by a trusted checkpoint and by the kept copy, and signing refuses', async () => {
    const { second } = await seedAndSign();
    const db = openAsAttacker(ctx.file);
    db.exec('DELETE FROM events WHERE position >= 30; DELETE FROM checkpoints WHERE tree_size > 30; DELETE FROM merkle_nodes');
    // The stored results of the commands cut off too, which the database alone would name (command-result-past-end).
    db.exec("DELETE FROM commands WHERE CAST(json_extract(result, '$.firstPosition') AS INTEGER) >= 30");
    db.close();
    await reopen();

    const copy = fs.readFileSync(ctx.ledger.keptCheckpointFile);
    withoutCopy();
    expect((await ctx.ledger.verify()).ok).toBe(true);
    const trusted = await ctx.ledger.verify(undefined, { supplied: supplied(second) });
    expect(trusted).toMatchObject({
      ok: false,
      failure: { kind: 'kept-checkpoint-beyond-ledger', checkpointTreeSize: 36, expected: '36', found: '30' },
    });

    fs.writeFileSync(ctx.ledger.keptCheckpointFile, copy);
    expect((await ctx.ledger.verify()).failure).toMatchObject({
      kind: 'kept-checkpoint-beyond-ledger',
      checkpointTreeSize: 36,
      found: '30',
    });
    await expect(ctx.ledger.checkpointNow()).rejects.toThrow(/covers 36 events but the ledger holds only 30/);
  });

  it('names checkpoint rows deleted from a ledger whose history is intact', async () => {
    const { second } = await seedAndSign();
    const db = openAsAttacker(ctx.file);
    db.exec('DELETE FROM checkpoints WHERE tree_size = 36');
    db.close();
    expect((await ctx.ledger.verify(undefined, { supplied: supplied(second) })).failure).toMatchObject({
      kind: 'kept-checkpoint-missing',
      checkpointTreeSize: 36,
    });
  });

  it('refuses a supplied checkpoint not signed by the ledger key, and a damaged kept copy', async () => {
    const { first } = await seedAndSign();
    const forged = { ...first, rootHash: 'ab'.repeat(32) };
    expect((await ctx.ledger.verify(undefined, { supplied: supplied(forged) })).failure).toMatchObject({
      kind: 'kept-checkpoint-invalid',
      checkpointTreeSize: 18,
    });
    fs.writeFileSync(ctx.ledger.keptCheckpointFile, '{"treeSize": 36');
    expect((await ctx.ledger.verify()).failure).toMatchObject({ kind: 'kept-checkpoint-invalid' });
    await expect(ctx.ledger.checkpointNow()).rejects.toThrow(CheckpointRefused);
  });

  it('starts a copy for a ledger signed before copies were kept, after checking it', async () => {
    const { second } = await seedAndSign();
    withoutCopy();
    expect(await ctx.ledger.checkpointNow()).toMatchObject({ created: false });
    expect(JSON.parse(fs.readFileSync(ctx.ledger.keptCheckpointFile, 'utf8'))).toEqual(second);
  });
});
