import { describe, expect, it } from 'vitest';
import { signCheckpoint, type Checkpoint } from '../../src/integrity/checkpoint.ts';
import { CheckpointFork, createCheckpointSigner, type ForkAlarm } from '../../src/integrity/checkpoint-signer.ts';
import { keptCheckpointFileFor, readKeptCheckpoint } from '../../src/integrity/kept-checkpoint.ts';
import { readKeyHistory } from '../../src/integrity/key-history.ts';
import type { CheckpointStore } from '../../src/integrity/port.ts';
import { createSqliteIntegrityStore } from '../../src/integrity/sqlite/integrity-store.ts';
import { TreeIndex } from '../../src/integrity/tree-index.ts';
import { openLedgerFile } from '../../src/store/sqlite/ledger-file.ts';
import { seedPlans, useLedger } from './ledger-fixture.ts';

/**
 * Another instance may store a checkpoint for the same tree size with another root: it saw other
 * events at those positions (a fork), or it lies. This instance must not adopt that view as its
 * own kept copy: it keeps what it signed and raises the fork alarm.
 */
describe('a checkpoint of another history stored by another signer', () => {
  const ctx = useLedger();

  /** A signer of this instance over the shared ledger file, whose store lets `rival` in just before its own append. */
  const signerWithRival = (rival: (size: number, latest: Checkpoint | undefined) => Checkpoint | undefined) => {
    const integrity = createSqliteIntegrityStore({ db: openLedgerFile(ctx.file), file: ctx.file });
    const stored = integrity.checkpoints;
    const checkpoints: CheckpointStore = {
      ...stored,
      async append(checkpoint) {
        const theirs = rival(checkpoint.treeSize, await stored.latest());
        if (theirs) await stored.insert(theirs);
        return stored.append(checkpoint);
      },
    };
    const alarms: Array<{ message: string; stored: Checkpoint; ownRoot: string }> = [];
    const onFork: ForkAlarm = (message, storedCheckpoint, ownRoot) => alarms.push({ message, stored: storedCheckpoint, ownRoot });
    const signer = createCheckpointSigner({
      tree: new TreeIndex(integrity, integrity.merkleNodes),
      checkpoints,
      key: ctx.key,
      clock: () => new Date(),
      keptFile: keptCheckpointFileFor(ctx.file),
      keyHistory: () => readKeyHistory(ctx.store),
      onFork,
    });
    return { signer, alarms, close: () => integrity.close() };
  };

  it('keeps its own kept copy and raises the fork alarm when the other root was stored first for the same size', async () => {
    await seedPlans(ctx.store, 2, 'first');
    const first = (await ctx.ledger.checkpointNow()).checkpoint!;
    expect(readKeptCheckpoint(keptCheckpointFileFor(ctx.file))).toEqual(first);
    await seedPlans(ctx.store, 2, 'second');

    const otherRoot = 'ee'.repeat(32);
    const { signer, alarms, close } = signerWithRival((treeSize, latest) =>
      signCheckpoint(ctx.key, { treeSize, rootHash: otherRoot, issuedAt: new Date().toISOString() }, latest),
    );
    try {
      await expect(signer.checkpointNow()).rejects.toBeInstanceOf(CheckpointFork);
    } finally {
      await close();
    }

    // This instance's view stands: its kept copy is still the checkpoint it signed and checked.
    expect(readKeptCheckpoint(keptCheckpointFileFor(ctx.file))).toEqual(first);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.stored.rootHash).toBe(otherRoot);
    expect(alarms[0]!.ownRoot).toMatch(/^[0-9a-f]{64}$/);
    expect(alarms[0]!.ownRoot).not.toBe(otherRoot);
    expect(alarms[0]!.message).toMatch(/another instance signed a different history/);
    // And verify names the stored one as not this ledger's root.
    expect((await ctx.ledger.verify()).failure?.kind).toBe('checkpoint-root-mismatch');
  });

  it('takes the other checkpoint as its kept copy when it is of the same history (instances signing at once)', async () => {
    await seedPlans(ctx.store, 2, 'first');
    await ctx.ledger.checkpointNow();
    await seedPlans(ctx.store, 2, 'second');
    const size = Number(await ctx.store.count());
    // The other instance signed the same events a moment earlier: the same root, its own signature.
    const sameRoot = (await ctx.ledger.consistencyProof(1, size)).toRoot;
    let theirs: Checkpoint | undefined;
    const { signer, alarms, close } = signerWithRival((treeSize, latest) => {
      theirs = signCheckpoint(ctx.key, { treeSize, rootHash: sameRoot, issuedAt: '2026-01-01T00:00:00.000Z' }, latest);
      return theirs;
    });
    try {
      expect(await signer.checkpointNow()).toEqual({ checkpoint: theirs, created: false });
    } finally {
      await close();
    }
    expect(alarms).toEqual([]);
    expect(readKeptCheckpoint(keptCheckpointFileFor(ctx.file))).toEqual(theirs);
  });
});
