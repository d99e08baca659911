import { signCheckpoint, type Checkpoint } from './checkpoint.ts';
import { currentKeyId, type KeyHistory } from './key-history.ts';
import { signedByLedgerKey } from './verify-keys.ts';
import { CheckpointRefused } from './errors.ts';
import { readKeptCheckpoint, UnreadableCheckpoint, writeKeptCheckpoint } from './kept-checkpoint.ts';
import type { CheckpointStore } from './port.ts';
import type { LedgerSigningKey, LedgerVerificationKey } from './signing-key.ts';
import type { TreeIndex } from './tree-index.ts';

export interface CheckpointSignerDeps {
  tree: TreeIndex;
  checkpoints: CheckpointStore;
  key: LedgerSigningKey | LedgerVerificationKey;
  clock: () => Date;
  /** This instance's copy of the latest signed checkpoint, outside the ledger. */
  keptFile: string;
  /** The ledger's key history: which key signs which tree. */
  keyHistory: () => Promise<KeyHistory>;
  /**
   * Told when the ledger holds a checkpoint whose root is not this instance's root for the same
   * events (another instance signed a different history: a fork). Defaults to one loud line on stderr.
   */
  onFork?: ForkAlarm;
}

/** A checkpoint stored by another signer, and the root this instance computes for the same tree size. */
export type ForkAlarm = (message: string, stored: Checkpoint, ownRoot: string) => void;

const alarmOnStderr: ForkAlarm = (message) => process.stderr.write(`FORK ALARM: ${message}\n`);

/** The ledger's checkpoints and this instance's tree disagree about the same events: refused, and never kept as this instance's view. */
export class CheckpointFork extends CheckpointRefused {}

/** Other instances signing at the same moment each make this one sign again after theirs; this bounds it. */
const MAX_SIGNING_ATTEMPTS = 10;

export type CheckpointNow = () => Promise<{ checkpoint: Checkpoint | undefined; created: boolean }>;

/**
 * Signs checkpoints of the whole ledger, on any backend, and keeps a copy of the latest in a
 * file outside the ledger. Several instances may sign: the ledger keeps one checkpoint per tree
 * size (the first stored stands), and every instance's signed roots come from the same tree.
 */
export const createCheckpointSigner = ({
  tree,
  checkpoints,
  key,
  clock,
  keptFile,
  keyHistory,
  onFork = alarmOnStderr,
}: CheckpointSignerDeps) => {
  /**
   * Throws CheckpointRefused unless the tree of `size` events extends the checkpoint `c`:
   * signed by this ledger's key, no larger, and the tree's root at its size is its root. Both
   * roots then come from one tree, so the new one is consistent with it by construction.
   */
  const assertExtends = async (c: Checkpoint, size: number, what: string, history: KeyHistory, inLedger = true): Promise<void> => {
    if (!signedByLedgerKey(history, key.publicKey, [c])(c))
      throw new CheckpointRefused(`${what} (checkpoint ${c.treeSize}, key ${c.keyId}) is not signed by the ledger key ${key.keyId}`);
    // Another instance on the same ledger may have appended and signed (and written the kept copy)
    // since this one caught its tree up: a checkpoint is stored only after the events it covers, so
    // look at the ledger again (twice: the first look may join a catch-up begun before their commit)
    // before calling it truncated.
    for (let look = 0; c.treeSize > size && look < 2; look++) size = await tree.catchUp();
    if (c.treeSize > size)
      throw new CheckpointRefused(
        `${what} covers ${c.treeSize} events but the ledger holds only ${size}: events were removed from the end`,
      );
    // A damaged node cache is rebuilt from the events before the ledger is judged by it.
    const root = (
      await tree.withRepair(
        () => tree.root(c.treeSize),
        (r) => r.toString('hex') === c.rootHash,
      )
    ).toString('hex');
    if (root === c.rootHash) return;
    const message =
      `the ledger's first ${c.treeSize} events have root ${root}, not the root ${c.rootHash} signed in ${what}: ` + `history was rewritten`;
    if (!inLedger) throw new CheckpointRefused(message);
    // One the ledger holds: another signer saw other events at these positions. This instance keeps its own kept copy.
    const fork = `${message}, or another instance signed a different history (key ${c.keyId}): investigate before signing again`;
    onFork(fork, c, root);
    throw new CheckpointFork(fork);
  };

  const readKept = (): Checkpoint | undefined => {
    try {
      return readKeptCheckpoint(keptFile);
    } catch (error) {
      if (error instanceof UnreadableCheckpoint)
        throw new CheckpointRefused(`${error.message}: restore it from a backup, or remove it only if you know the ledger is sound`);
      throw error;
    }
  };

  /**
   * Signs a checkpoint of the whole ledger if it grew since the last one, and keeps a copy of
   * the latest outside the ledger. Refuses (CheckpointRefused) when the ledger does not
   * extend that copy: signing then would endorse a rewritten or truncated history.
   */
  const checkpointNow: CheckpointNow = async () => {
    const size = await tree.catchUp();
    const history = await keyHistory();
    const kept = readKept();
    if (kept) await assertExtends(kept, size, `the checkpoint kept at ${keptFile}`, history, false);
    for (let attempt = 1; ; attempt++) {
      const latest = await checkpoints.latest();
      if (size === 0 || (latest && latest.treeSize >= size)) {
        // A ledger signed before copies were kept (or whose copy lags another instance's) starts one now.
        if (latest && (!kept || kept.treeSize < latest.treeSize)) {
          await assertExtends(latest, size, `the ledger's checkpoint ${latest.treeSize}`, history);
          writeKeptCheckpoint(keptFile, latest);
        }
        return { checkpoint: latest, created: false };
      }
      // The new root is signed only over a tree the last signed one is a prefix of, both from checked nodes.
      if (latest && latest.treeSize !== kept?.treeSize)
        await assertExtends(latest, size, `the ledger's checkpoint ${latest.treeSize}`, history);
      if (!('privateKey' in key)) throw new Error('this process holds only the ledger public key: it cannot sign checkpoints');
      // Only the ledger's current key signs: an instance still holding a retired key must not.
      const current = currentKeyId(history.rotations, latest);
      if (current !== undefined && current !== key.keyId)
        throw new CheckpointRefused(
          `this process's signing key ${key.keyId} is not the ledger's current key ${current} (its key history records the ` +
            `change): restart it with the current key`,
        );
      const rootHash = (await tree.withRepair(() => tree.root(size))).toString('hex');
      // Named after the latest, so the checkpoints stay one series in which a missing one shows.
      const checkpoint = signCheckpoint(key, { treeSize: size, rootHash, issuedAt: clock().toISOString() }, latest);
      if (await checkpoints.append(checkpoint)) {
        // After the checkpoint is stored, so a kept copy is never newer than the ledger it speaks for.
        writeKeptCheckpoint(keptFile, checkpoint);
        return { checkpoint, created: true };
      }
      // Another instance stored one first: sign again after theirs, unless theirs already covers this tree.
      if (attempt >= MAX_SIGNING_ATTEMPTS) throw new Error(`another instance kept signing first ${attempt} times over; try again`);
    }
  };

  return { checkpointNow };
};
