import { asAppended, type StoredEvent } from '../../events/envelope.ts';
import { planStream } from '../../events/streams.ts';
import type { EventStore } from '../store/port.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { PlanHead } from './plan-head.ts';
import type { KeyRotation } from './key-rotation.ts';
import { UnknownPlan } from './errors.ts';
import { GENESIS_HASH } from './event-hash.ts';
import { EXPORT_FORMAT, type ExportBundle, type ExportedEvent } from './export-bundle.ts';

export interface ExportPlanDeps {
  events: Pick<EventStore, 'readStream' | 'streamRevision'>;
  /**
   * Inclusion proofs of these leaves (positions, with their event hashes) in the checkpoint's tree, each checked against its
   * signed root.
   */
  inclusionProofs: (leaves: Array<{ position: number; hash: string }>, checkpoint: Checkpoint) => Promise<Buffer[][]>;
  publicKey: { keyId: string; pem: string };
  /** A checkpoint covering the whole ledger as it stands: the latest, or a fresh one. */
  checkpointCoveringAll: () => Promise<Checkpoint>;
  now: () => Date;
  /** The key rotations the ledger recorded before this tree size, oldest first. */
  keyHistory: (treeSize: number) => Promise<KeyRotation[]>;
  /** The ledger's signature on where the plan ends in the checkpoint's tree. */
  signPlanHead: (fields: Omit<PlanHead, 'signature' | 'keyId'>) => PlanHead;
}

/** Builds a plan's export bundle against the latest signed checkpoint (signing one first if the plan has newer events). */
export const exportPlan = async (deps: ExportPlanDeps, planId: string): Promise<ExportBundle> => {
  const stream = planStream(planId);
  if ((await deps.events.streamRevision(stream)) === undefined) throw new UnknownPlan(planId);
  const checkpoint = await deps.checkpointCoveringAll();
  const treeSize = BigInt(checkpoint.treeSize);
  // Only what the checkpoint covers: an event appended while exporting waits for the next export.
  const stored: StoredEvent[] = [];
  for await (const event of deps.events.readStream(stream)) {
    if (event.position >= treeSize) break;
    stored.push(event);
  }
  const proofs = await deps.inclusionProofs(
    stored.map((event) => ({ position: Number(event.position), hash: event.hash })),
    checkpoint,
  );
  let previousHash = GENESIS_HASH;
  const events: ExportedEvent[] = stored.map((event, i) => {
    const exported: ExportedEvent = {
      position: String(event.position),
      revision: String(event.revision),
      previousHash,
      hash: event.hash,
      event: asAppended(event),
      inclusionProof: proofs[i]!.map((h) => h.toString('hex')),
    };
    previousHash = event.hash;
    return exported;
  });
  const last = stored.at(-1)!;
  return {
    format: EXPORT_FORMAT,
    exportedAt: deps.now().toISOString(),
    planId,
    stream,
    streamRevision: String(last.revision),
    publicKey: deps.publicKey,
    checkpoint,
    planHead: deps.signPlanHead({
      planId,
      stream,
      lastRevision: String(last.revision),
      lastEventHash: last.hash,
      treeSize: checkpoint.treeSize,
    }),
    events,
    keyHistory: await deps.keyHistory(checkpoint.treeSize),
  };
};
