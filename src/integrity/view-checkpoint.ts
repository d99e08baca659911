import type { Checkpoint } from './checkpoint.ts';
import { CheckpointRefused, NoCheckpoint } from './errors.ts';
import { currentKeyId } from './key-history.ts';
import type { KeyRotation } from './key-rotation.ts';
import type { LedgerIntegrity } from './ledger-integrity.ts';

/**
 * The signed checkpoint a view read up to `position` stands on, and the key rotations within its
 * tree: the latest checkpoint when its tree holds that position (a view of the past signs nothing
 * new), else one signed now over the whole ledger, as an export's is. Refused (CheckpointRefused)
 * unless this process holds the ledger's current key and that key signed the checkpoint: the view
 * and its checkpoint are signed by one key, so a verifier trusts both, or neither, through the key
 * it pinned.
 */
export const checkpointHolding = async (
  ledger: Pick<LedgerIntegrity, 'checkpoints' | 'checkpointNow' | 'keyHistory' | 'publicKey'>,
  position: bigint,
): Promise<{ checkpoint: Checkpoint; keyHistory: KeyRotation[] }> => {
  const keyId = ledger.publicKey.keyId;
  const rotations = await ledger.keyHistory();
  const latest = await ledger.checkpoints.latest();
  const current = currentKeyId(rotations, latest);
  if (current !== undefined && current !== keyId)
    throw new CheckpointRefused(
      `this process's signing key ${keyId} is not the ledger's current key ${current}: sign with the current key`,
    );
  const checkpoint =
    latest && BigInt(latest.treeSize) > position && latest.keyId === keyId ? latest : (await ledger.checkpointNow()).checkpoint;
  if (!checkpoint) throw new NoCheckpoint();
  if (checkpoint.keyId !== keyId || !(BigInt(checkpoint.treeSize) > position))
    throw new CheckpointRefused(
      `the ledger's latest checkpoint (${checkpoint.treeSize} events, key ${checkpoint.keyId}) is not one key ${keyId} signed ` +
        `over position ${position}, and the ledger has not grown since, so no new one can be signed`,
    );
  const keyHistory = rotations
    .filter((r) => r.position < BigInt(checkpoint.treeSize))
    .map(({ position: _position, ...rotation }) => rotation);
  return { checkpoint, keyHistory };
};
