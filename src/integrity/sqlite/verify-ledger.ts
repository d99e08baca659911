import type { KeyObject } from 'node:crypto';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Db } from '../../store/sqlite/connection.ts';
import { checkpointSignatureValid, type Checkpoint } from '../checkpoint.ts';
import { fromHex, verifyConsistency } from '../merkle.ts';
import { CompactRange } from '../merkle-proofs.ts';
import type { IntegrityFailure, ProgressListener, VerifyReport } from '../verify-report.ts';
import type { TreeIndex } from './tree-index.ts';
import { verifyChainRange, type ChainRangeResult } from './verify-chains.ts';

class Failed extends Error {
  constructor(readonly failure: IntegrityFailure) {
    super(failure.message);
  }
}

export interface VerifyLedgerOptions {
  /** The ledger file, for worker threads' own connections. */
  file: string;
  /** A connection of its own: verification reads one snapshot, inside a read transaction. */
  db: Db;
  /** The tree index, caught up, for the consistency proofs between checkpoints. */
  tree: TreeIndex;
  publicKey: KeyObject;
  onProgress?: ProgressListener;
  /** Threads checking chains (default: one per core for large ledgers, else 1 = this thread). */
  workers?: number;
}

/** Below this many events, starting threads costs more than it saves. */
const PARALLEL_FROM = 100_000;

/** Checks chains of [0, total) in `workers` slices, each in its own thread, in parallel. */
const verifyChainsInWorkers = async (file: string, total: number, workers: number, onProgress?: ProgressListener): Promise<ChainRangeResult[]> => {
  const entry = new URL('./chain-worker-entry.mjs', import.meta.url);
  const module = new URL('./chain-worker.ts', import.meta.url).href;
  const progress = new Array<number>(workers).fill(0);
  const slice = Math.ceil(total / workers);
  return Promise.all(
    Array.from({ length: workers }, (_, k) => {
      const [from, to] = [k * slice, Math.min(total, (k + 1) * slice)];
      return new Promise<ChainRangeResult>((resolve, reject) => {
        const worker = new Worker(entry, { workerData: { module, file, from, to } });
        worker.on('message', (message: { progress?: number; result?: ChainRangeResult }) => {
          if (message.progress !== undefined) {
            progress[k] = message.progress;
            onProgress?.(progress.reduce((a, b) => a + b, 0), total);
          }
          if (message.result) {
            const h = message.result.leaves as unknown as Uint8Array; // structured clone gives a Uint8Array back
            resolve({ ...message.result, leaves: Buffer.from(h.buffer, h.byteOffset, h.byteLength) });
            void worker.terminate();
          }
        });
        worker.once('error', reject);
      });
    }),
  );
};

/**
 * Recomputes everything from the stored event JSON, trusting no stored hash: every stream's
 * chain and the query columns (in parallel slices on a large ledger), then the Merkle root at
 * every signed checkpoint, every signature, and a consistency proof between each pair of
 * successive checkpoints. Reports the first failure in ledger order.
 */
export const verifyLedger = async (options: VerifyLedgerOptions): Promise<VerifyReport> => {
  const { db, tree, publicKey, onProgress } = options;
  const report: VerifyReport = { ok: false, eventsChecked: 0, streamsChecked: 0, checkpointsChecked: 0, treeSize: 0 };
  db.exec('BEGIN');
  try {
    const checkpoints = db
      .prepare<[], Checkpoint>('SELECT tree_size AS treeSize, root_hash AS rootHash, issued_at AS issuedAt, key_id AS keyId, signature FROM checkpoints ORDER BY tree_size')
      .all();
    // The size the ledger claims by its last position: a deleted row then shows as a gap.
    const total = db.prepare<[], { n: number }>('SELECT coalesce(max(position) + 1, 0) AS n FROM events').get()!.n;
    report.treeSize = total;
    for (const c of checkpoints) {
      if (!checkpointSignatureValid(c, publicKey)) {
        throw new Failed({ kind: 'checkpoint-signature-invalid', checkpointTreeSize: c.treeSize, message: `checkpoint ${c.treeSize} (key ${c.keyId}) is not signed by the ledger key`, found: c.signature });
      }
    }
    const workers = options.workers ?? (total >= PARALLEL_FROM ? Math.min(4, cpus().length) : 1);
    const slices = workers > 1
      ? await verifyChainsInWorkers(options.file, total, workers, onProgress)
      : [verifyChainRange(db, 0, total, (checked) => onProgress?.(checked, total))];
    // The first failure in ledger order; the tree is checked up to it, so a signed root can still be named.
    const failed = slices.find((s) => s.failure);
    report.streamsChecked = Math.max(...slices.map((s) => s.streams), 0);
    const range = new CompactRange();
    let nextCheckpoint = 0;
    for (const s of slices) {
      for (let offset = 0; offset < s.leaves.length; offset += 32) {
        range.push(s.leaves.subarray(offset, offset + 32));
        while (checkpoints[nextCheckpoint]?.treeSize === range.size) {
          const c = checkpoints[nextCheckpoint]!;
          const root = range.root().toString('hex');
          if (root !== c.rootHash) {
            report.eventsChecked = range.size;
            throw new Failed({ kind: 'checkpoint-root-mismatch', position: String(range.size - 1), checkpointTreeSize: c.treeSize, message: `the first ${c.treeSize} events no longer hash to checkpoint ${c.treeSize}'s signed root: history up to position ${c.treeSize - 1} was rewritten, reordered or replaced`, expected: c.rootHash, found: root });
          }
          nextCheckpoint++;
          report.checkpointsChecked++;
        }
      }
      if (s === failed) break;
    }
    report.eventsChecked = range.size;
    if (failed?.failure) throw new Failed(failed.failure);
    const beyond = checkpoints[nextCheckpoint];
    if (beyond) {
      throw new Failed({ kind: 'checkpoint-beyond-ledger', checkpointTreeSize: beyond.treeSize, position: String(range.size), message: `checkpoint ${beyond.treeSize} was signed over ${beyond.treeSize} events but the ledger holds only ${range.size}: events were removed from the end`, expected: String(beyond.treeSize), found: String(range.size) });
    }
    checkConsistency(checkpoints, tree);
    report.rootHash = range.root().toString('hex');
    report.ok = true;
    return report;
  } catch (error) {
    if (!(error instanceof Failed)) throw error;
    report.failure = error.failure;
    return report;
  } finally {
    db.exec('COMMIT');
  }
};

/** RFC 9162 consistency between each pair of successive checkpoints, from the stored tree. */
const checkConsistency = (checkpoints: Checkpoint[], tree: TreeIndex): void => {
  for (let i = 1; i < checkpoints.length; i++) {
    const [a, b] = [checkpoints[i - 1]!, checkpoints[i]!];
    let proof: Buffer[];
    try {
      proof = tree.consistencyProof(a.treeSize, b.treeSize);
    } catch (error) {
      throw new Failed({ kind: 'tree-index-damaged', checkpointTreeSize: b.treeSize, message: `no consistency proof from ${a.treeSize} to ${b.treeSize}: ${(error as Error).message}` });
    }
    const consistent = verifyConsistency({ firstSize: a.treeSize, secondSize: b.treeSize, firstRoot: fromHex(a.rootHash), secondRoot: fromHex(b.rootHash), proof });
    if (!consistent) {
      throw new Failed({ kind: 'checkpoint-inconsistent', checkpointTreeSize: b.treeSize, message: `checkpoint ${b.treeSize} is not an extension of checkpoint ${a.treeSize}`, expected: a.rootHash, found: b.rootHash });
    }
  }
};
