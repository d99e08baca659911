import type { EventStore } from '../store/port.ts';
import type { Checkpoint } from './checkpoint.ts';
import { createCheckpointSigner, type ForkAlarm } from './checkpoint-signer.ts';
import { readKeyHistory } from './key-history.ts';
import { BadProofRequest, NoCheckpoint, UnknownEvent } from './errors.ts';
import type { ExportBundle } from './export-bundle.ts';
import { exportPlan } from './export-plan.ts';
import { readKeptCheckpoint, UnreadableCheckpoint } from './kept-checkpoint.ts';
import { signPlanHead } from './plan-head.ts';
import { signText } from './signed-text.ts';
import type { IntegrityStore } from './port.ts';
import type { LedgerSigningKey, LedgerVerificationKey } from './signing-key.ts';
import { fromHex, verifyConsistency, verifyInclusion } from './merkle.ts';
import { LedgerDamaged, TreeIndex, type TreeDamage } from './tree-index.ts';
import { verifyLedger, type KeptCheckpoint } from './verify-ledger.ts';
import type { IntegrityFailure, ProgressListener, VerifyReport } from './verify-report.ts';

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
  /** Told of Merkle node cache damage found (and rebuilt from the events): the server logs it at error level. */
  onTreeDamage?: (damage: TreeDamage[]) => void;
  /** Told when the ledger holds a checkpoint of another history than this instance's tree (a fork); one line on stderr by default. */
  onFork?: ForkAlarm;
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

/** Damage the tree index met (and rebuilt) while a verification ran: still a finding of that verification. */
const repairedDamage = (d: TreeDamage): IntegrityFailure => ({
  kind: 'merkle-node-mismatch',
  position: String(d.index * 2 ** d.level),
  message:
    `the Merkle node cache ${d.stored ? 'held a node that did not match the events' : 'lacked a node'} at level ${d.level}, index ` +
    `${d.index}; ` +
    'it was rebuilt from the events during this verification (the events are intact)',
  expected: d.rebuilt ?? '(none)',
  found: d.stored ?? '(none)',
});

/**
 * The integrity services over any backend: checkpoints, proofs, verification and export,
 * written once over the integrity port. Answers keep the JSON shapes the API documents
 * (leaf indexes and tree sizes as JSON numbers); positions are bigint on the port.
 */
export const createLedgerIntegrity = (options: LedgerIntegrityOptions) => {
  const { integrity, key } = options;
  const clock = options.clock ?? (() => new Date());
  const keptFile = options.keptCheckpointFile;
  // Damage seen while a verification runs is its finding too, even once repaired: of every verification running then, as
  // the tree is the ledger's, and the first run to reach a damaged node rebuilds it for all (two auditors asking at once).
  const damageSeen = new Set<TreeDamage[]>();
  const tree = new TreeIndex(integrity, integrity.merkleNodes, (damage) => {
    for (const seen of damageSeen) seen.push(...damage);
    options.onTreeDamage?.(damage);
  });
  const checkpoints = integrity.checkpoints;
  const keyHistory = (before?: bigint) => readKeyHistory(options.events, before);
  const { checkpointNow } = createCheckpointSigner({
    tree,
    checkpoints,
    key,
    clock,
    keptFile,
    keyHistory,
    ...(options.onFork ? { onFork: options.onFork } : {}),
  });

  const exactCheckpoint = async (size: number): Promise<Checkpoint | null> => {
    const covering = await checkpoints.covering(BigInt(size));
    return covering?.treeSize === size ? covering : null;
  };

  const sizeParameter = (name: string, value: number, size: number) => {
    if (value > size) throw new BadProofRequest(name, `${name} ${value} is larger than the ledger's tree (${size} events)`);
  };

  return {
    publicKey: { keyId: key.keyId, pem: key.publicKeyPem },
    /** Every key rotation the ledger records, oldest first: what an auditor needs to trust a later key through an earlier one. */
    keyHistory: async () => (await keyHistory()).rotations,
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
      const checkpoint = await exactCheckpoint(target);
      // Served only once it leads from the event to the root it names, and that root is the signed one.
      const holds = ({ root, proof }: { root: Buffer; proof: Buffer[] }) =>
        (!checkpoint || root.equals(fromHex(checkpoint.rootHash))) &&
        verifyInclusion({ leafIndex: position, treeSize: target, eventHash: fromHex(event.hash), proof, root });
      const answer = await tree.withRepair(() => ({ root: tree.root(target), proof: tree.inclusionProof(position, target) }), holds);
      if (!holds(answer))
        throw new LedgerDamaged(`the inclusion proof of event ${eventId} does not lead to the signed root: run \`ledger verify\``);
      return {
        eventId,
        leafIndex: position,
        treeSize: target,
        eventHash: event.hash,
        rootHash: answer.root.toString('hex'),
        proof: hex(answer.proof),
        checkpoint,
      };
    },

    async consistencyProof(from: number, to: number): Promise<ConsistencyProofAnswer> {
      if (from > to) throw new BadProofRequest('from', `from (${from}) must not be larger than to (${to})`);
      const size = await tree.catchUp();
      sizeParameter('to', to, size);
      const [first, second] = [await exactCheckpoint(from), await exactCheckpoint(to)];
      const holds = ({ fromRoot, toRoot, proof }: { fromRoot: Buffer; toRoot: Buffer; proof: Buffer[] }) =>
        (!first || fromRoot.equals(fromHex(first.rootHash))) &&
        (!second || toRoot.equals(fromHex(second.rootHash))) &&
        verifyConsistency({ firstSize: from, secondSize: to, firstRoot: fromRoot, secondRoot: toRoot, proof });
      const answer = await tree.withRepair(
        () => ({ fromRoot: tree.root(from), toRoot: tree.root(to), proof: tree.consistencyProof(from, to) }),
        holds,
      );
      if (!holds(answer)) throw new LedgerDamaged(`the consistency proof from ${from} to ${to} does not hold: run \`ledger verify\``);
      return { from, to, fromRoot: answer.fromRoot.toString('hex'), toRoot: answer.toRoot.toString('hex'), proof: hex(answer.proof) };
    },

    keptCheckpointFile: keptFile,

    /**
     * Full verification. `supplied` are checkpoints the auditor kept; the kept copy beside the
     * ledger is added when there is one. Both are read before the ledger's view is taken.
     */
    async verify(
      onProgress?: ProgressListener,
      options: { workers?: number; supplied?: KeptCheckpoint[]; storageCheck?: 'full' | 'quick' } = {},
    ): Promise<VerifyReport> {
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
      const damage: TreeDamage[] = [];
      damageSeen.add(damage);
      try {
        try {
          await tree.catchUp();
        } catch {
          // A damaged ledger (or file) cannot be indexed; the event pass reads it all again and names the damage precisely.
        }
        const report = await verifyLedger({
          integrity,
          tree,
          publicKey: key.publicKey,
          kept: all,
          keyHistory,
          ...rest,
          ...(onProgress ? { onProgress } : {}),
        });
        // Name a node that was replaced, rather than its parent that merely disagreed with it.
        const named = damage.find((d) => d.rebuilt !== null) ?? damage[0];
        return report.ok && named ? { ...report, ok: false, failure: repairedDamage(named) } : report;
      } finally {
        damageSeen.delete(damage);
      }
    },

    exportPlan: (planId: string): Promise<ExportBundle> =>
      exportPlan(
        {
          events: options.events,
          inclusionProofs: async (leaves, checkpoint) => {
            const root = fromHex(checkpoint.rootHash);
            const prove = () => {
              const memo = new Map<string, Buffer>();
              return leaves.map((leaf) => tree.inclusionProof(leaf.position, checkpoint.treeSize, memo));
            };
            const hold = (proofs: Buffer[][]) =>
              proofs.every((proof, i) =>
                verifyInclusion({
                  leafIndex: leaves[i]!.position,
                  treeSize: checkpoint.treeSize,
                  eventHash: fromHex(leaves[i]!.hash),
                  proof,
                  root,
                }),
              );
            const proofs = await tree.withRepair(prove, hold);
            if (!hold(proofs)) throw new LedgerDamaged("the plan's events do not lead to the signed root: run `ledger verify`");
            return proofs;
          },
          publicKey: { keyId: key.keyId, pem: key.publicKeyPem },
          now: clock,
          keyHistory: async (treeSize) =>
            (await keyHistory(BigInt(treeSize))).rotations.map(({ position: _position, ...rotation }) => rotation),
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
