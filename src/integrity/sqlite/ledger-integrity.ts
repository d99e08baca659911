import Database from 'better-sqlite3';
import { checkpointSignatureValid, signCheckpoint, type Checkpoint } from '../checkpoint.ts';
import { openConnection } from '../../store/sqlite/connection.ts';
import { migrate } from '../../store/sqlite/schema.ts';
import { BadProofRequest, CheckpointRefused, NoCheckpoint, UnknownEvent } from '../errors.ts';
import { signPlanHead } from '../plan-head.ts';
import { keptCheckpointFileFor, readKeptCheckpoint, UnreadableCheckpoint, writeKeptCheckpoint } from '../kept-checkpoint.ts';
import type { ExportBundle } from '../export-bundle.ts';
import type { LedgerSigningKey, LedgerVerificationKey } from '../signing-key.ts';
import type { ProgressListener, VerifyReport } from '../verify-report.ts';
import { checkpointStore } from './checkpoint-store.ts';
import { exportPlan } from './export-plan.ts';
import { LedgerDamaged, TreeIndex } from './tree-index.ts';
import { verifyLedger, type KeptCheckpoint } from './verify-ledger.ts';

export interface LedgerIntegrityOptions {
  /** The SQLite ledger file the event store writes. */
  file: string;
  /** The signing key; a verification key alone serves proofs and verify but cannot sign. */
  key: LedgerSigningKey | LedgerVerificationKey;
  clock?: () => Date;
  /** Where the copy of the latest signed checkpoint is kept (default: ledger-checkpoint.json beside the ledger file). */
  keptCheckpointFile?: string;
}

export interface InclusionProofAnswer {
  eventId: string;
  leafIndex: number;
  treeSize: number;
  eventHash: string;
  rootHash: string;
  proof: string[];
  /** The signed checkpoint of exactly this tree size, when there is one. */
  checkpoint: Checkpoint | null;
}

export interface ConsistencyProofAnswer {
  from: number;
  to: number;
  fromRoot: string;
  toRoot: string;
  proof: string[];
}

const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));

/**
 * The integrity services over one SQLite ledger: checkpoints, proofs, verification and export.
 * Uses its own connection, so the event store's write path is untouched.
 */
export const openLedgerIntegrity = (options: LedgerIntegrityOptions) => {
  const { file, key } = options;
  const clock = options.clock ?? (() => new Date());
  const db = openConnection(file, 5000);
  migrate(db);
  const tree = new TreeIndex(db);
  const checkpoints = checkpointStore(db);
  const keptFile = options.keptCheckpointFile ?? keptCheckpointFileFor(file);
  const positionOf = db.prepare<[string], { position: number; hash: string }>('SELECT position, hash FROM events WHERE event_id = ?');

  /**
   * Throws CheckpointRefused unless the tree of `size` events extends the checkpoint `c`:
   * signed by this ledger's key, no larger, and the tree's root at its size is its root. Both
   * roots then come from one tree, so the new one is consistent with it by construction.
   */
  const assertExtends = (c: Checkpoint, size: number, what: string): void => {
    if (!checkpointSignatureValid(c, key.publicKey))
      throw new CheckpointRefused(`${what} (checkpoint ${c.treeSize}, key ${c.keyId}) is not signed by the ledger key ${key.keyId}`);
    if (c.treeSize > size)
      throw new CheckpointRefused(
        `${what} covers ${c.treeSize} events but the ledger holds only ${size}: events were removed from the end`,
      );
    const root = tree.root(c.treeSize).toString('hex');
    if (root !== c.rootHash)
      throw new CheckpointRefused(
        `the ledger's first ${c.treeSize} events have root ${root}, not the root ${c.rootHash} signed in ${what}: history was rewritten`,
      );
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
   * the latest outside the database. Refuses (CheckpointRefused) when the ledger does not
   * extend that copy: signing then would endorse a rewritten or truncated history.
   */
  const checkpointNow = async (): Promise<{ checkpoint: Checkpoint | undefined; created: boolean }> => {
    const size = await tree.catchUp();
    const kept = readKept();
    if (kept) assertExtends(kept, size, `the checkpoint kept at ${keptFile}`);
    const latest = checkpoints.latest();
    if (size === 0 || (latest && latest.treeSize >= size)) {
      // A ledger signed before copies were kept (or whose copy lags another process's) starts one now.
      if (latest && (!kept || kept.treeSize < latest.treeSize)) {
        assertExtends(latest, size, `the database's checkpoint ${latest.treeSize}`);
        writeKeptCheckpoint(keptFile, latest);
      }
      return { checkpoint: latest, created: false };
    }
    if (!('privateKey' in key)) throw new Error('this process holds only the ledger public key: it cannot sign checkpoints');
    const checkpoint = signCheckpoint(key, { treeSize: size, rootHash: tree.root(size).toString('hex'), issuedAt: clock().toISOString() });
    // Another process may have signed the same size first: theirs stands, and is equally valid.
    const created = checkpoints.insert(checkpoint);
    const signed = created ? checkpoint : checkpoints.covering(size);
    // After the row is committed, so a kept copy is never newer than the database it speaks for.
    if (signed) writeKeptCheckpoint(keptFile, signed);
    return { checkpoint: signed, created };
  };

  const exactCheckpoint = (size: number): Checkpoint | null => {
    const covering = checkpoints.covering(size);
    return covering?.treeSize === size ? covering : null;
  };

  const sizeParameter = (name: string, value: number, size: number) => {
    if (value > size) throw new BadProofRequest(name, `${name} ${value} is larger than the ledger's tree (${size} events)`);
  };

  return {
    publicKey: { keyId: key.keyId, pem: key.publicKeyPem },
    checkpoints,
    tree,
    checkpointNow,

    async inclusionProof(eventId: string, treeSize?: number): Promise<InclusionProofAnswer> {
      const event = positionOf.get(eventId);
      if (!event) throw new UnknownEvent(eventId);
      const size = await tree.catchUp();
      if (treeSize !== undefined) sizeParameter('treeSize', treeSize, size);
      const latest = checkpoints.latest();
      // By default, prove against the latest signed root when it holds the event.
      const target = treeSize ?? (latest && latest.treeSize > event.position ? latest.treeSize : size);
      if (target <= event.position) {
        throw new BadProofRequest(
          'treeSize',
          `event ${eventId} is at position ${event.position}, so it is not in a tree of ${target} events`,
        );
      }
      return {
        eventId,
        leafIndex: event.position,
        treeSize: target,
        eventHash: event.hash,
        rootHash: tree.root(target).toString('hex'),
        proof: hex(tree.inclusionProof(event.position, target)),
        checkpoint: exactCheckpoint(target),
      };
    },

    async consistencyProof(from: number, to: number): Promise<ConsistencyProofAnswer> {
      if (from > to) throw new BadProofRequest('from', `from (${from}) must not be larger than to (${to})`);
      const size = await tree.catchUp();
      sizeParameter('to', to, size);
      return {
        from,
        to,
        fromRoot: tree.root(from).toString('hex'),
        toRoot: tree.root(to).toString('hex'),
        proof: hex(tree.consistencyProof(from, to)),
      };
    },

    keptCheckpointFile: keptFile,

    /**
     * Full verification. `supplied` are checkpoints the auditor kept; the kept copy beside the
     * ledger is added when there is one. Both are read before the database snapshot.
     */
    async verify(onProgress?: ProgressListener, options: { workers?: number; supplied?: KeptCheckpoint[] } = {}): Promise<VerifyReport> {
      const { supplied = [], ...rest } = options;
      let kept: Checkpoint | undefined;
      try {
        kept = readKeptCheckpoint(keptFile);
      } catch (error) {
        if (!(error instanceof UnreadableCheckpoint)) throw error;
        return {
          ok: false,
          eventsChecked: 0,
          streamsChecked: 0,
          checkpointsChecked: 0,
          treeSize: 0,
          failure: { kind: 'kept-checkpoint-invalid', message: error.message },
        };
      }
      const all = [...supplied, ...(kept ? [{ checkpoint: kept, source: `the copy kept at ${keptFile}` }] : [])];
      try {
        await tree.catchUp();
      } catch (error) {
        // A damaged ledger cannot be indexed; the event pass below names the damage precisely.
        if (!(error instanceof LedgerDamaged)) throw error;
      }
      const read = new Database(file, { readonly: true });
      try {
        return await verifyLedger({
          file,
          db: read,
          tree,
          publicKey: key.publicKey,
          kept: all,
          ...rest,
          ...(onProgress ? { onProgress } : {}),
        });
      } finally {
        read.close();
      }
    },

    exportPlan: (planId: string): Promise<ExportBundle> =>
      exportPlan(
        {
          db,
          tree,
          publicKey: { keyId: key.keyId, pem: key.publicKeyPem },
          now: clock,
          signPlanHead: (fields) => {
            if (!('privateKey' in key)) throw new Error('this process holds only the ledger public key: it cannot sign an export');
            return signPlanHead(key, fields);
          },
          checkpointCoveringAll: async () => {
            const { checkpoint } = await checkpointNow();
            if (!checkpoint) throw new NoCheckpoint();
            return checkpoint;
          },
        },
        planId,
      ),

    /** Lets a running catch-up finish its chunk, then releases the connection. */
    close: async (): Promise<void> => {
      await tree.whenIdle();
      db.close();
    },
  };
};
export type LedgerIntegrity = ReturnType<typeof openLedgerIntegrity>;
