import type { Checkpoint } from './checkpoint.ts';
import type { LedgerIntegrity } from './ledger-integrity.ts';
import type { IntegrityFailure } from './verify-report.ts';

/**
 * Whether the ledger still holds exactly the tree a checkpoint from outside it was signed over
 * (one in a signed view), as `ledger verify --checkpoint` compares one: the ledger holds at least
 * its events, and its first `treeSize` events still have its root (a damaged node cache is
 * rebuilt from the events first); and the ledger keeps that very checkpoint among its own, so it
 * was the ledger's key that signed it. What it does not do is recompute every event's hash from
 * its content: `ledger verify --checkpoint <file>` does, over the whole ledger.
 */
export const checkpointInLedger = async (
  ledger: Pick<LedgerIntegrity, 'tree' | 'checkpoints'>,
  checkpoint: Checkpoint,
): Promise<IntegrityFailure | undefined> => {
  const { treeSize, rootHash } = checkpoint;
  const size = await ledger.tree.catchUp();
  if (treeSize > size)
    return {
      kind: 'kept-checkpoint-beyond-ledger',
      checkpointTreeSize: treeSize,
      message:
        `the view's checkpoint was signed over ${treeSize} events but the ledger holds only ${size}: events were removed from ` +
        'the end, or this is a copy of the ledger from before the view was read, or another ledger',
      expected: String(treeSize),
      found: String(size),
    };
  const root = (
    await ledger.tree.withRepair(
      () => ledger.tree.root(treeSize),
      (r) => r.toString('hex') === rootHash,
    )
  ).toString('hex');
  if (root !== rootHash)
    return {
      kind: 'kept-checkpoint-root-mismatch',
      checkpointTreeSize: treeSize,
      // The view carries no more than its checkpoint, so a ledger it was never read from looks the same as one rewritten.
      message:
        `the ledger's first ${treeSize} events no longer hash to the root signed in the view's checkpoint: history was rewritten, ` +
        'or this is not the ledger the view was read from',
      expected: rootHash,
      found: root,
    };
  const own = await ledger.checkpoints.covering(BigInt(treeSize));
  if (own?.treeSize !== treeSize)
    return {
      kind: 'kept-checkpoint-missing',
      checkpointTreeSize: treeSize,
      message:
        `the ledger's first ${treeSize} events have the view's checkpoint's root, but the ledger holds no checkpoint of ` +
        `${treeSize} events: it was deleted, or the view's checkpoint was never the ledger's`,
    };
  if (own.signature !== checkpoint.signature || own.keyId !== checkpoint.keyId || own.issuedAt !== checkpoint.issuedAt)
    return {
      kind: 'untrusted-key',
      checkpointTreeSize: treeSize,
      message:
        `the ledger's own checkpoint of ${treeSize} events (key ${own.keyId}, issued ${own.issuedAt}) is not the view's ` +
        `(key ${checkpoint.keyId}, issued ${checkpoint.issuedAt}): the view's was signed elsewhere`,
      expected: own.keyId,
      found: checkpoint.keyId,
    };
  return undefined;
};
