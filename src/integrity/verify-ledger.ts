import type { KeyObject } from 'node:crypto';
import type { Checkpoint } from './checkpoint.ts';
import type { KeyHistory } from './key-history.ts';
import { checkCheckpointKeys, ledgerKeyCheck, type SignatureCheck } from './verify-keys.ts';
import { fromHex, verifyConsistency } from './merkle.ts';
import { CompactRange, foldSubtrees } from './merkle-proofs.ts';
import type { IntegrityStore } from './port.ts';
import type { TreeIndex } from './tree-index.ts';
import { checkNodeCache } from './verify-node-cache.ts';
import { checkSeries } from './checkpoint-series.ts';
import type { ChainSliceResult } from './chain-check.ts';
import { CLOCK_ANOMALIES_LISTED, isEarlier } from './verify-chains.ts';
import type { IntegrityFailure, ProgressListener, VerifyReport } from './verify-report.ts';

class Failed extends Error {
  constructor(readonly failure: IntegrityFailure) {
    super(failure.message);
  }
}

export interface VerifyLedgerOptions {
  /** The backend's integrity port: verification reads one consistent view of it, then checks its Merkle node cache. */
  integrity: Pick<IntegrityStore, 'verification' | 'merkleNodes' | 'leafHashes' | 'ledgerSize'>;
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
  /** How thoroughly the backend checks its own storage (SQLite: integrity_check or quick_check); default full. */
  storageCheck?: 'full' | 'quick';
  /** The ledger's key history as recorded before the given position (the view's size); none: the ledger never rotated its key. */
  keyHistory?: (before: bigint) => Promise<KeyHistory>;
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
      const history = (await options.keyHistory?.(view.size)) ?? { rotations: [] };
      const keys = checkCheckpointKeys(rows, history, publicKey);
      if (keys.keyHistory) report.keyHistory = keys.keyHistory;
      if (keys.failure) throw new Failed(keys.failure);
      const series = checkSeries(rows);
      if (series) throw new Failed(series);
      const checkpoints = withKept(rows, options.kept ?? [], ledgerKeyCheck(history, publicKey, rows));
      report.keptCheckpoints = (options.kept ?? []).map(({ source, checkpoint }) => ({ source, treeSize: checkpoint.treeSize }));
      // The backend's own checks run beside the chains (SQLite: in a thread of their own on a large ledger).
      const backend = view.backendChecks({ size: view.size, storage: options.storageCheck ?? 'full' });
      // Not awaited yet: a rejection now must not go unhandled while the chains are checked.
      backend.catch(() => undefined);
      // Kept checkpoints only add tree sizes at which to fold the frontier: no work per event.
      let results: ChainSliceResult[];
      try {
        results = await view.checkChains({
          size: view.size,
          checkpointSizes: checkpoints.map((c) => BigInt(c.treeSize)),
          workers: options.workers,
          onProgress,
        });
      } catch (error) {
        // A damaged file may fail to read at all: SQLite's own finding explains it.
        const storage = (await backend.catch(() => undefined))?.storage;
        if (storage) throw new Failed(storage);
        throw error;
      }
      const backendReport = await backend;
      report.backendChecks = backendReport.checked;
      if (backendReport.storage) throw new Failed(backendReport.storage);
      const clock = joinClock(results);
      if (clock.stepsBack > 0) report.clockAnomalies = { ...clock, ...(view.stampsKept && { stampsKept: true as const }) };
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
      // Every stored node from the events, before any proof is taken from them.
      const cacheFailure = await checkNodeCache(
        options.integrity.merkleNodes,
        (from, limit) => options.integrity.leafHashes(from, limit),
        total,
        Number(await options.integrity.ledgerSize()),
      );
      if (cacheFailure) throw new Failed(cacheFailure);
      checkConsistency(checkpoints, tree);
      if (backendReport.records) throw new Failed(backendReport.records);
      report.rootHash = foldSubtrees(treeSubtrees).toString('hex');
      report.streamsChecked = Number(await view.streamCount());
      report.ok = true;
      return report;
    } catch (error) {
      const failure = error instanceof Failed ? error.failure : view.storageFailure?.(error);
      if (!failure) throw error;
      report.ok = false;
      report.failure = failure;
      return report;
    }
  });

/**
 * Where recordedAt went backwards, over the whole ledger: each slice's own, plus a step back
 * where one slice's first event was recorded before the last of the slice before it.
 */
const joinClock = (results: ChainSliceResult[]): NonNullable<VerifyReport['clockAnomalies']> => {
  const joined: NonNullable<VerifyReport['clockAnomalies']> = { stepsBack: 0, listed: [] };
  let last: string | undefined;
  for (const { from, clock } of results) {
    if (last !== undefined && clock.first !== undefined && isEarlier(clock.first, last)) {
      joined.stepsBack++;
      joined.listed.push({ position: String(from), previous: last, recordedAt: clock.first });
    }
    joined.stepsBack += clock.stepsBack;
    joined.listed.push(...clock.listed);
    last = clock.last ?? last;
  }
  joined.listed = joined.listed.slice(0, CLOCK_ANOMALIES_LISTED);
  return joined;
};

/**
 * The database's checkpoints plus the kept ones it does not already hold, in tree order (a
 * row first where both have one size). A kept checkpoint must be signed by the ledger key
 * before it may accuse the ledger of anything.
 */
const withKept = (rows: Checkpoint[], kept: KeptCheckpoint[], keyCheck: (c: Checkpoint) => SignatureCheck): Listed[] => {
  const bySize = new Map(rows.map((c) => [c.treeSize, c]));
  const listed: Listed[] = [...rows];
  const seen = new Set<string>();
  for (const { checkpoint: c, source } of kept) {
    const { expected, signed } = keyCheck(c);
    if (!signed) {
      // Key against key when another key signed it, as for the ledger's own checkpoints; the signature when it names the
      // ledger's key but that key did not make it (the checkpoint was edited, or its signature forged).
      throw new Failed({
        kind: 'kept-checkpoint-invalid',
        checkpointTreeSize: c.treeSize,
        message:
          c.keyId === expected
            ? `${source} (checkpoint ${c.treeSize}) names the ledger key ${expected}, but its signature does not verify against ` +
              'that key: it was edited after it was signed, or not signed by the ledger'
            : `${source} (checkpoint ${c.treeSize}) is signed by key ${c.keyId}, but the ledger's key at that size is ${expected}`,
        expected,
        found: c.keyId === expected ? c.signature : c.keyId,
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
