import type { EventStore } from '../store/port.ts';
import type { Checkpoint } from './checkpoint.ts';
import { createCheckpointSigner } from './checkpoint-signer.ts';
import { BadProofRequest, NoCheckpoint, UnknownEvent } from './errors.ts';
import type { ExportBundle } from './export-bundle.ts';
import { exportPlan } from './export-plan.ts';
import { readKeptCheckpoint, UnreadableCheckpoint } from './kept-checkpoint.ts';
import { signPlanHead } from './plan-head.ts';
import { signText } from './signed-text.ts';
import type { IntegrityStore } from './port.ts';
import type { LedgerSigningKey, LedgerVerificationKey } from './signing-key.ts';
import { LedgerDamaged, TreeIndex } from './tree-index.ts';
import { verifyLedger, type KeptCheckpoint } from './verify-ledger.ts';
import type { ProgressListener, VerifyReport } from './verify-report.ts';

export interface LedgerIntegrityOptions {
  /** The backend's integrity port. */
  integrity: IntegrityStore;
  /** The backend's event store: exports read a plan's stream through it. */
  events: Pick<EventStore, 'readStream' | 'streamRevision'>;
  /** The signing key; a verification key alone serves proofs and verify but cannot sign. */
  key: LedgerSigningKey | LedgerVerificationKey;
  clock?: () => Date;
  /** Where this instance keeps its copy of the latest signed checkpoint (ledger-checkpoint.json in the data dir). */
  keptCheckpointFile: string;
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
 * The integrity services over any backend: checkpoints, proofs, verification and export,
 * written once over the integrity port. Answers keep the JSON shapes the API documents
 * (leaf indexes and tree sizes as JSON numbers); positions are bigint on the port.
 */
export const createLedgerIntegrity = (options: LedgerIntegrityOptions) => {
  const { integrity, key } = options;
  const clock = options.clock ?? (() => new Date());
  const keptFile = options.keptCheckpointFile;
  const tree = new TreeIndex(integrity, integrity.merkleNodes);
  const checkpoints = integrity.checkpoints;
  const { checkpointNow } = createCheckpointSigner({ tree, checkpoints, key, clock, keptFile });

  const exactCheckpoint = async (size: number): Promise<Checkpoint | null> => {
    const covering = await checkpoints.covering(BigInt(size));
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
      const event = await integrity.locateEvent(eventId);
      if (!event) throw new UnknownEvent(eventId);
      const position = Number(event.position);
      const size = await tree.catchUp();
      if (treeSize !== undefined) sizeParameter('treeSize', treeSize, size);
      const latest = await checkpoints.latest();
      // By default, prove against the latest signed root when it holds the event.
      const target = treeSize ?? (latest && latest.treeSize > position ? latest.treeSize : size);
      if (target <= position) {
        throw new BadProofRequest('treeSize', `event ${eventId} is at position ${position}, so it is not in a tree of ${target} events`);
      }
      return {
        eventId,
        leafIndex: position,
        treeSize: target,
        eventHash: event.hash,
        rootHash: tree.root(target).toString('hex'),
        proof: hex(tree.inclusionProof(position, target)),
        checkpoint: await exactCheckpoint(target),
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
     * ledger is added when there is one. Both are read before the ledger's view is taken.
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
        // A damaged ledger cannot be indexed; the event pass names the damage precisely.
        if (!(error instanceof LedgerDamaged)) throw error;
      }
      return verifyLedger({ integrity, tree, publicKey: key.publicKey, kept: all, ...rest, ...(onProgress ? { onProgress } : {}) });
    },

    exportPlan: (planId: string): Promise<ExportBundle> =>
      exportPlan(
        {
          events: options.events,
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

    /**
     * Signs a statement of the ledger's own (a text whose first line names what it is, so it can
     * never pass for a checkpoint or a plan head): an evidence pack's list of file hashes.
     */
    signStatement: (text: string): { keyId: string; signature: string } => {
      if (!('privateKey' in key)) throw new Error('this process holds only the ledger public key: it cannot sign');
      return { keyId: key.keyId, signature: signText(key, text) };
    },

    /** Lets a running catch-up finish its chunk; the backend then closes the port. */
    close: async (): Promise<void> => {
      await tree.whenIdle();
    },
  };
};
export type LedgerIntegrity = ReturnType<typeof createLedgerIntegrity>;
