import Database from 'better-sqlite3';
import { signCheckpoint, type Checkpoint } from '../checkpoint.ts';
import { openConnection } from '../../store/sqlite/connection.ts';
import { migrate } from '../../store/sqlite/schema.ts';
import { BadProofRequest, NoCheckpoint, UnknownEvent } from '../errors.ts';
import type { ExportBundle } from '../export-bundle.ts';
import type { LedgerSigningKey, LedgerVerificationKey } from '../signing-key.ts';
import type { ProgressListener, VerifyReport } from '../verify-report.ts';
import { checkpointStore } from './checkpoint-store.ts';
import { exportPlan } from './export-plan.ts';
import { LedgerDamaged, TreeIndex } from './tree-index.ts';
import { verifyLedger } from './verify-ledger.ts';

export interface LedgerIntegrityOptions {
  /** The SQLite ledger file the event store writes. */
  file: string;
  /** The signing key; a verification key alone serves proofs and verify but cannot sign. */
  key: LedgerSigningKey | LedgerVerificationKey;
  clock?: () => Date;
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
  const positionOf = db.prepare<[string], { position: number; hash: string }>('SELECT position, hash FROM events WHERE event_id = ?');

  /** Signs a checkpoint of the whole ledger if it grew since the last one. */
  const checkpointNow = async (): Promise<{ checkpoint: Checkpoint | undefined; created: boolean }> => {
    const size = await tree.catchUp();
    const latest = checkpoints.latest();
    if (size === 0 || (latest && latest.treeSize >= size)) return { checkpoint: latest, created: false };
    if (!('privateKey' in key)) throw new Error('this process holds only the ledger public key: it cannot sign checkpoints');
    const checkpoint = signCheckpoint(key, { treeSize: size, rootHash: tree.root(size).toString('hex'), issuedAt: clock().toISOString() });
    // Another process may have signed the same size first: theirs stands, and is equally valid.
    const created = checkpoints.insert(checkpoint);
    return { checkpoint: created ? checkpoint : checkpoints.covering(size), created };
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
        throw new BadProofRequest('treeSize', `event ${eventId} is at position ${event.position}, so it is not in a tree of ${target} events`);
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
      return { from, to, fromRoot: tree.root(from).toString('hex'), toRoot: tree.root(to).toString('hex'), proof: hex(tree.consistencyProof(from, to)) };
    },

    async verify(onProgress?: ProgressListener, options: { workers?: number } = {}): Promise<VerifyReport> {
      try {
        await tree.catchUp();
      } catch (error) {
        // A damaged ledger cannot be indexed; the event pass below names the damage precisely.
        if (!(error instanceof LedgerDamaged)) throw error;
      }
      const read = new Database(file, { readonly: true });
      try {
        return await verifyLedger({ file, db: read, tree, publicKey: key.publicKey, ...options, ...(onProgress ? { onProgress } : {}) });
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
