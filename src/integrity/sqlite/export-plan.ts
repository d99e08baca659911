import type { Db } from '../../store/sqlite/connection.ts';
import type { Checkpoint } from '../checkpoint.ts';
import type { PlanHead } from '../plan-head.ts';
import { UnknownPlan } from '../errors.ts';
import { GENESIS_HASH } from '../event-hash.ts';
import { EXPORT_FORMAT, type ExportBundle, type ExportedEvent } from '../export-bundle.ts';
import type { TreeIndex } from './tree-index.ts';
import { planStream } from '../../../events/streams.ts';

interface StreamRow {
  position: number;
  revision: number;
  body: string;
  hash: string;
}

export interface ExportPlanDeps {
  db: Db;
  tree: TreeIndex;
  publicKey: { keyId: string; pem: string };
  /** A checkpoint covering the whole ledger as it stands: the latest, or a fresh one. */
  checkpointCoveringAll: () => Promise<Checkpoint>;
  now: () => Date;
  /** The ledger's signature on where the plan ends in the checkpoint's tree. */
  signPlanHead: (fields: Omit<PlanHead, 'signature' | 'keyId'>) => PlanHead;
}

/** Builds a plan's export bundle against the latest signed checkpoint (signing one first if the plan has newer events). */
export const exportPlan = async (deps: ExportPlanDeps, planId: string): Promise<ExportBundle> => {
  const stream = planStream(planId);
  const streamRows = deps.db.prepare<[string], { position: number }>(
    'SELECT position FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
  );
  if (!streamRows.get(stream)) throw new UnknownPlan(planId);
  const checkpoint = await deps.checkpointCoveringAll();
  // Only what the checkpoint covers: an event appended while exporting waits for the next export.
  const rows = deps.db
    .prepare<[string, number], StreamRow>(
      'SELECT position, revision, body, hash FROM events WHERE stream = ? AND position < ? ORDER BY revision',
    )
    .all(stream, checkpoint.treeSize);
  let previousHash = GENESIS_HASH;
  const events: ExportedEvent[] = rows.map((row) => {
    const exported: ExportedEvent = {
      position: String(row.position),
      revision: String(row.revision),
      previousHash,
      hash: row.hash,
      event: JSON.parse(row.body) as Record<string, unknown>,
      inclusionProof: deps.tree.inclusionProof(row.position, checkpoint.treeSize).map((h) => h.toString('hex')),
    };
    previousHash = row.hash;
    return exported;
  });
  const last = rows.at(-1)!;
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
  };
};
