import type { KeyObject } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { checkpointSignatureValid, type Checkpoint } from '../integrity/checkpoint.ts';
import type { CheckpointStore } from '../integrity/port.ts';
import { CopyRefused } from './copy-refused.ts';

/**
 * The source's signed checkpoints, carried to the target as the copy reaches each one's tree
 * size: only once the events copied so far reproduce its root, and only if the ledger's key
 * at that size signed it. They are inserted exactly as signed (a signature covers no backend detail).
 */
export class CheckpointCarrier {
  #pending: Checkpoint[] = [];
  #known = new Set<string>();
  carried = 0;

  constructor(
    checkpoints: Checkpoint[],
    private readonly target: Pick<CheckpointStore, 'insert' | 'covering'>,
    /** The ledger's key for a checkpoint of this many events: after a rotation, the key the rotation put in force. */
    private readonly keyFor: (treeSize: number) => KeyObject | undefined,
  ) {
    this.add(checkpoints);
  }

  /** Adds checkpoints to carry (the source may sign more while it is copied); one already known is skipped. */
  add(checkpoints: Checkpoint[]): void {
    for (const checkpoint of checkpoints) {
      const key = `${checkpoint.treeSize} ${checkpoint.rootHash} ${checkpoint.signature}`;
      if (this.#known.has(key)) continue;
      this.#known.add(key);
      this.#pending.push(checkpoint);
    }
    this.#pending.sort((a, b) => a.treeSize - b.treeSize);
  }

  /** The tree size of the next checkpoint to carry, if any. */
  get nextSize(): number | undefined {
    return this.#pending[0]?.treeSize;
  }

  /** Carries every checkpoint of exactly `size` events; `root` is the root of the source's first `size` events as the copy checked them. */
  async reached(size: number, root: Buffer): Promise<void> {
    const reproduced = root.toString('hex');
    while (this.#pending[0]?.treeSize === size) {
      const checkpoint = this.#pending.shift()!;
      if (reproduced !== checkpoint.rootHash)
        throw new CopyRefused(
          'source-checkpoint-mismatch',
          `the source's first ${size} events hash to root ${reproduced}, ` +
            `not to the root ${checkpoint.rootHash} its checkpoint ${size} signed: its history was rewritten`,
          BigInt(size - 1),
        );
      const key = this.keyFor(size);
      if (!key || !checkpointSignatureValid(checkpoint, key))
        throw new CopyRefused(
          'source-checkpoint-mismatch',
          `the source's checkpoint ${size} (key ${checkpoint.keyId}) is not signed by the ledger's key`,
          BigInt(size - 1),
        );
      await this.#insert(checkpoint);
    }
  }

  async #insert(checkpoint: Checkpoint): Promise<void> {
    if (await this.target.insert(checkpoint)) {
      this.carried++;
      return;
    }
    // A resumed copy finds the checkpoints it carried before; any other is not this ledger's.
    const existing = await this.target.covering(BigInt(checkpoint.treeSize));
    if (existing?.treeSize !== checkpoint.treeSize || !isDeepStrictEqual(existing, checkpoint))
      throw new CopyRefused(
        'target-diverged',
        `the target already holds a different checkpoint for ${checkpoint.treeSize} events (root ${existing?.rootHash}): ` +
          'something other than this copy signs on it',
        BigInt(checkpoint.treeSize - 1),
      );
  }
}
