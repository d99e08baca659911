import type { KeyObject } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { fromHex, verifyConsistency } from '../integrity/merkle.ts';
import type { StreamHead } from '../integrity/port.ts';
import { LedgerDamaged, TreeIndex } from '../integrity/tree-index.ts';
import { readKeyHistory } from '../integrity/key-history.ts';
import { verifyLedger } from '../integrity/verify-ledger.ts';
import type { CopyEnd, CopyProgressListener } from './copy-end.ts';
import { CopyRefused, describeFailure } from './copy-refused.ts';
import { sameResult } from './source-commands.ts';

/** What the finished copy was found to share with its source. */
export interface CopyVerification {
  events: number;
  streams: number;
  commands: number;
  checkpoints: number;
  /** The Merkle root of the whole ledger, the same in both. */
  rootHash: string;
  /** The keys that signed the checkpoints carried: the target's service must sign with the same. */
  keyIds: string[];
}

const headText = (head: StreamHead | undefined) =>
  head ? `${head.stream} at revision ${head.revision} (${head.hash})` : 'no more streams';

const failed = (message: string, position?: bigint): never => {
  throw new CopyRefused('verification-failed', message, position);
};

/** Walks two async sequences side by side, closing both however it ends. */
const inStep = async <T>(a: AsyncIterable<T>, b: AsyncIterable<T>, visit: (x: T | undefined, y: T | undefined) => Promise<void> | void) => {
  const left = a[Symbol.asyncIterator]();
  const right = b[Symbol.asyncIterator]();
  try {
    for (;;) {
      const [x, y] = await Promise.all([left.next(), right.next()]);
      if (x.done && y.done) return;
      await visit(x.done ? undefined : x.value, y.done ? undefined : y.value);
    }
  } finally {
    await Promise.all([left.return?.(), right.return?.()]);
  }
};

/**
 * The finished copy against its source: the same number of events; the target verifying on
 * its own (every chain recomputed from its stored events, the tree, every checkpoint's
 * signature and root reproduced at its tree size) to the source's root; the same signed
 * checkpoints, each with a consistency proof to the target's head; the same chain head for
 * every stream; and, in ledger order, the same events (ids, places, times, hashes) and the same
 * result for every command, request fingerprints included. Throws CopyRefused at the first
 * difference.
 */
export const verifyCopy = async (options: {
  source: CopyEnd;
  target: CopyEnd;
  /** The source's size and root as verified before the copy. */
  size: bigint;
  sourceRoot: string;
  publicKey: KeyObject;
  onProgress: CopyProgressListener;
}): Promise<CopyVerification> => {
  const { source, target, size, onProgress } = options;
  const targetCount = await target.events.count();
  const sourceMoved = async () => {
    const now = await source.events.count();
    if (BigInt(now) !== size)
      failed(
        `the source took writes while it was copied (${size} events when it was verified, ${now} now): ` +
          'stop the service on the source and run the same command again, which carries the rest',
      );
  };
  await sourceMoved();
  if (BigInt(targetCount) !== size) failed(`the target holds ${targetCount} events, the source ${size}`);

  const tree = new TreeIndex(target.integrity, target.integrity.merkleNodes);
  await tree.catchUp().catch((error: unknown) => {
    if (!(error instanceof LedgerDamaged)) throw error;
  });
  const report = await verifyLedger({
    integrity: target.integrity,
    tree,
    publicKey: options.publicKey,
    // The target's own copy of the key history: a rotated ledger's checkpoints are of each key, each endorsed by the one before.
    keyHistory: (before) => readKeyHistory(target.events, before),
    onProgress: (done, total) => onProgress({ phase: 'verifying the target', done, total }),
  });
  if (!report.ok) failed(`the target does not verify: ${describeFailure(report.failure!)}`);
  if (report.rootHash !== options.sourceRoot)
    failed(`the target's ${size} events hash to root ${report.rootHash}, the source's to ${options.sourceRoot}`);

  const [theirs, ours] = await Promise.all([source.integrity.checkpoints.all(), target.integrity.checkpoints.all()]);
  if (!isDeepStrictEqual(ours, theirs))
    failed(
      `the target holds ${ours.length} checkpoints (largest ${ours.at(-1)?.treeSize}), ` +
        `the source ${theirs.length} (largest ${theirs.at(-1)?.treeSize})`,
    );
  for (const checkpoint of ours) {
    const consistent = verifyConsistency({
      firstSize: checkpoint.treeSize,
      secondSize: Number(size),
      firstRoot: fromHex(checkpoint.rootHash),
      secondRoot: fromHex(report.rootHash!),
      proof: tree.consistencyProof(checkpoint.treeSize, Number(size)),
    });
    if (!consistent) failed(`no consistency proof leads from checkpoint ${checkpoint.treeSize} to the target's head (${size} events)`);
  }

  let streams = 0;
  let headsDiffer: string | undefined;
  await inStep(source.integrity.streamHeads(), target.integrity.streamHeads(), (a, b) => {
    if (headsDiffer) return;
    if (!a || !b || a.stream !== b.stream || a.revision !== b.revision || a.hash !== b.hash)
      headsDiffer = `stream heads differ: the source has ${headText(a)}, the target ${headText(b)}`;
    streams++;
  });
  if (headsDiffer) {
    await sourceMoved();
    failed(headsDiffer);
  }

  let commands = 0;
  let compared = 0;
  let commandId: string | undefined;
  await inStep(source.events.readAll({ limit: Number(size) }), target.events.readAll(), async (a, b) => {
    if (!a || !b) return failed(`the ${a ? 'target' : 'source'} ends at position ${(a ?? b)!.position}, the other goes on`);
    const same =
      a.position === b.position &&
      a.stream === b.stream &&
      a.revision === b.revision &&
      a.eventId === b.eventId &&
      a.commandId === b.commandId &&
      a.recordedAt === b.recordedAt &&
      a.hash === b.hash;
    if (!same) failed(`the target's event at position ${b.position} (${b.eventId}) differs from the source's (${a.eventId})`, a.position);
    if (a.commandId !== commandId) {
      commandId = a.commandId;
      const [x, y] = await Promise.all([source.events.findCommand(commandId), target.events.findCommand(commandId)]);
      if (!x || !y || !sameResult(x, y)) failed(`command ${commandId} has another result in the target than in the source`, a.position);
      commands++;
    }
    if (++compared % 1000 === 0) onProgress({ phase: 'comparing', done: compared, total: Number(size) });
  });
  onProgress({ phase: 'comparing', done: compared, total: Number(size) });

  return {
    events: Number(size),
    streams,
    commands,
    checkpoints: ours.length,
    rootHash: report.rootHash!,
    keyIds: [...new Set(ours.map((c) => c.keyId))],
  };
};
