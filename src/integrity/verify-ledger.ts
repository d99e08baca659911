import type { KeyObject } from 'node:crypto';
import { checkpointSignatureValid, type Checkpoint } from './checkpoint.ts';
import { fromHex, verifyConsistency } from './merkle.ts';
import { CompactRange, foldSubtrees } from './merkle-proofs.ts';
import type { IntegrityStore } from './port.ts';
import type { TreeIndex } from './tree-index.ts';
import type { IntegrityFailure, ProgressListener, VerifyReport } from './verify-report.ts';

class Failed extends Error {
  constructor(readonly failure: IntegrityFailure) {
    super(failure.message);
  }
}

export interface VerifyLedgerOptions {
  /** The backend's integrity port: verification reads one consistent view of it. */
  integrity: Pick<IntegrityStore, 'verification'>;
  /** The tree index, caught up, for the consistency proofs between checkpoints. */
  tree: TreeIndex;
  publicKey: KeyObject;
  onProgress?: ProgressListener;
  /** Threads checking chains, where the backend can use them (default: the backend decides). */
  workers?: number;
  /**
   * Checkpoints kept outside the ledger (the copy beside it, one the auditor saved), read
   * before the view so none can be newer than it. Unlike the ledger's own checkpoints, they
   * cannot be deleted along with a rewrite.
   */
  kept?: KeptCheckpoint[];
}

export interface KeptCheckpoint {
  checkpoint: Checkpoint;
  /** Where it came from, for the report: "the checkpoint you supplied (file)", "the copy kept at …". */
  source: string;
}

/** A checkpoint to check the tree against; `kept` names its source when it is not one the ledger holds. */
type Listed = Checkpoint & { kept?: { source: string; rowMissing: boolean } };

/**
 * Recomputes everything from the stored events, trusting no stored hash, on any backend:
 * every stream's chain and the backend's own checks (in parallel slices where the backend can),
 * then the Merkle root at every signed checkpoint, every signature, and a consistency proof
 * between each pair of successive checkpoints. Reports the first failure in ledger order.
 */
export const verifyLedger = (options: VerifyLedgerOptions): Promise<VerifyReport> =>
  options.integrity.verification(async (view) => {
    const { tree, publicKey, onProgress } = options;
    const report: VerifyReport = { ok: false, eventsChecked: 0, streamsChecked: 0, checkpointsChecked: 0, treeSize: 0 };
    try {
      const rows = view.checkpoints;
      // The size the ledger claims by its last position: a deleted event then shows as a gap.
      const total = Number(view.size);
      report.treeSize = total;
      for (const c of rows) {
        if (!checkpointSignatureValid(c, publicKey)) {
          throw new Failed({
            kind: 'checkpoint-signature-invalid',
            checkpointTreeSize: c.treeSize,
            message: `checkpoint ${c.treeSize} (key ${c.keyId}) is not signed by the ledger key`,
            found: c.signature,
          });
        }
      }
      const checkpoints = withKept(rows, options.kept ?? [], publicKey);
      report.keptCheckpoints = (options.kept ?? []).map(({ source, checkpoint }) => ({ source, treeSize: checkpoint.treeSize }));
      // Kept checkpoints only add tree sizes at which to fold the frontier: no work per event.
      const results = await view.checkChains({
        size: view.size,
        checkpointSizes: checkpoints.map((c) => BigInt(c.treeSize)),
        workers: options.workers,
        onProgress,
      });
      // Join the slices in ledger order: whole slices become perfect subtrees of the tree, and
      // a checkpoint inside a slice is the slices before it plus that slice's own subtrees then.
      const before = new CompactRange();
      let treeSubtrees: Buffer[] = [];
      let nextCheckpoint = 0;
      for (const [j, result] of results.entries()) {
        const from = Number(result.from);
        for (const frontier of result.frontiers) {
          while (checkpoints[nextCheckpoint]?.treeSize === from + frontier.size) {
            const c = checkpoints[nextCheckpoint]!;
            const root = foldSubtrees([...before.subtrees(), ...frontier.subtrees]).toString('hex');
            if (root !== c.rootHash && c.kept) {
              report.eventsChecked = c.treeSize;
              throw new Failed({
                kind: 'kept-checkpoint-root-mismatch',
                position: String(c.treeSize - 1),
                checkpointTreeSize: c.treeSize,
                message:
                  `the first ${c.treeSize} events no longer hash to the root signed in ${c.kept.source}: ` +
                  `history up to position ${c.treeSize - 1} was rewritten, reordered or ` +
                  `replaced${c.kept.rowMissing ? ', and the database no longer holds that checkpoint' : ''}`,
                expected: c.rootHash,
                found: root,
              });
            }
            if (root !== c.rootHash) {
              report.eventsChecked = c.treeSize;
              throw new Failed({
                kind: 'checkpoint-root-mismatch',
                position: String(c.treeSize - 1),
                checkpointTreeSize: c.treeSize,
                message:
                  `the first ${c.treeSize} events no longer hash to checkpoint ${c.treeSize}'s signed root: ` +
                  `history up to position ${c.treeSize - 1} was rewritten, reordered or replaced`,
                expected: c.rootHash,
                found: root,
              });
            }
            if (c.kept?.rowMissing) {
              throw new Failed({
                kind: 'kept-checkpoint-missing',
                checkpointTreeSize: c.treeSize,
                message:
                  `the history still matches checkpoint ${c.treeSize} from ${c.kept.source}, but the ledger no ` +
                  `longer holds that checkpoint: checkpoints were deleted`,
                expected: c.rootHash,
              });
            }
            nextCheckpoint++;
            report.checkpointsChecked++;
          }
        }
        report.eventsChecked = from + result.eventsChecked;
        if (result.failure) throw new Failed(result.failure);
        const end = result.frontiers.at(-1)!.subtrees;
        if (j < results.length - 1) before.push(foldSubtrees(end));
        else treeSubtrees = [...before.subtrees(), ...end];
      }
      const beyond = checkpoints[nextCheckpoint];
      if (beyond?.kept) {
        throw new Failed({
          kind: 'kept-checkpoint-beyond-ledger',
          checkpointTreeSize: beyond.treeSize,
          position: String(total),
          message:
            `${beyond.kept.source} was signed over ${beyond.treeSize} events but the ledger holds only ` +
            `${total}: events were removed from the end${beyond.kept.rowMissing ? ' and the checkpoints covering them deleted' : ''}`,
          expected: String(beyond.treeSize),
          found: String(total),
        });
      }
      if (beyond) {
        throw new Failed({
          kind: 'checkpoint-beyond-ledger',
          checkpointTreeSize: beyond.treeSize,
          position: String(total),
          message:
            `checkpoint ${beyond.treeSize} was signed over ${beyond.treeSize} events but the ledger holds only ` +
            `${total}: events were removed from the end`,
          expected: String(beyond.treeSize),
          found: String(total),
        });
      }
      checkConsistency(checkpoints, tree);
      report.rootHash = foldSubtrees(treeSubtrees).toString('hex');
      report.streamsChecked = Number(await view.streamCount());
      report.ok = true;
      return report;
    } catch (error) {
      if (!(error instanceof Failed)) throw error;
      report.failure = error.failure;
      return report;
    }
  });

/**
 * The database's checkpoints plus the kept ones it does not already hold, in tree order (a
 * row first where both have one size). A kept checkpoint must be signed by the ledger key
 * before it may accuse the ledger of anything.
 */
const withKept = (rows: Checkpoint[], kept: KeptCheckpoint[], publicKey: KeyObject): Listed[] => {
  const bySize = new Map(rows.map((c) => [c.treeSize, c]));
  const listed: Listed[] = [...rows];
  const seen = new Set<string>();
  for (const { checkpoint: c, source } of kept) {
    if (!checkpointSignatureValid(c, publicKey)) {
      throw new Failed({
        kind: 'kept-checkpoint-invalid',
        checkpointTreeSize: c.treeSize,
        message: `${source} (checkpoint ${c.treeSize}, key ${c.keyId}) is not signed by the ledger key`,
        found: c.signature,
      });
    }
    const row = bySize.get(c.treeSize);
    // The same statement twice (the kept copy and the auditor's) is checked once.
    if (row?.rootHash === c.rootHash || seen.has(`${c.treeSize} ${c.rootHash}`)) continue;
    seen.add(`${c.treeSize} ${c.rootHash}`);
    listed.push({ ...c, kept: { source, rowMissing: !row } });
  }
  // Stable: at one size the database's row comes before a kept checkpoint.
  return listed.sort((a, b) => a.treeSize - b.treeSize);
};

/** RFC 9162 consistency between each pair of successive checkpoints, from the stored tree. */
const checkConsistency = (checkpoints: Listed[], tree: TreeIndex): void => {
  for (let i = 1; i < checkpoints.length; i++) {
    const [a, b] = [checkpoints[i - 1]!, checkpoints[i]!];
    let proof: Buffer[];
    try {
      proof = tree.consistencyProof(a.treeSize, b.treeSize);
    } catch (error) {
      throw new Failed({
        kind: 'tree-index-damaged',
        checkpointTreeSize: b.treeSize,
        message: `no consistency proof from ${a.treeSize} to ${b.treeSize}: ${(error as Error).message}`,
      });
    }
    const consistent = verifyConsistency({
      firstSize: a.treeSize,
      secondSize: b.treeSize,
      firstRoot: fromHex(a.rootHash),
      secondRoot: fromHex(b.rootHash),
      proof,
    });
    if (!consistent) {
      throw new Failed({
        kind: 'checkpoint-inconsistent',
        checkpointTreeSize: b.treeSize,
        message:
          `checkpoint ${b.treeSize}${b.kept ? ` (${b.kept.source})` : ''} is not an extension of checkpoint ` +
          `${a.treeSize}${a.kept ? ` (${a.kept.source})` : ''}`,
        expected: a.rootHash,
        found: b.rootHash,
      });
    }
  }
};
