import type { KeyObject } from 'node:crypto';
import { asAppended } from '../../events/envelope.ts';
import { LedgerDamaged, TreeIndex } from '../integrity/tree-index.ts';
import { keyAt, knownPublicKeys, readKeyHistory } from '../integrity/key-history.ts';
import { keyIdOf } from '../integrity/signing-key.ts';
import { verifyLedger, type KeptCheckpoint } from '../integrity/verify-ledger.ts';
import { IdempotencyKeyReused, WrongExpectedRevision, type AppendResult, type EventStore } from '../store/port.ts';
import { CheckpointCarrier } from './checkpoint-carrier.ts';
import type { CopyEnd, CopyProgressListener } from './copy-end.ts';
import type { CopyPart } from './copy-part.ts';
import { CopyRefused, describeFailure } from './copy-refused.ts';
import { resumePoint } from './resume-point.ts';
import { SourceChain } from './source-chain.ts';
import { sameResult, sourceCommands, type SourceCommand } from './source-commands.ts';
import { TargetHashes } from './target-hashes.ts';
import { verifyCopy, type CopyVerification } from './verify-copy.ts';

export interface CopyOptions {
  source: CopyEnd;
  target: CopyEnd;
  /** The ledger's public key: every checkpoint carried must be signed by it. */
  publicKey: KeyObject;
  /** Checkpoints kept outside the source (its instance's kept copy): the source must still extend them. */
  kept?: KeptCheckpoint[];
  onProgress?: CopyProgressListener;
  /** Stops between two commands; the copy can be resumed later. */
  signal?: AbortSignal;
  /** What is kept beside the events and carried too, once the events are (copy-part.ts). */
  parts?: CopyPart[];
}

export interface CopyReport {
  /** The source's size when it was verified: what the target holds once the copy is complete. */
  size: number;
  /** Where the copy started: the events the target held already. */
  resumedAt: number;
  copiedEvents: number;
  copiedCommands: number;
  checkpointsCarried: number;
  /** Set when the copy was stopped (signal) before it was complete: the target holds this many events. */
  stoppedAt?: number;
  /** Set when the copy completed. */
  verification?: CopyVerification;
  /** Each part carried beside the events: what was copied and what its verification found. */
  parts: { name: string; copied: string; verified: string }[];
  seconds: { verifySource: number; copy: number; verifyTarget: number };
}

const since = (start: number) => (performance.now() - start) / 1000;
const PROGRESS_EVERY = 1000;

/**
 * `ledger copy` on the ports, so it runs between any two backends: the source is verified
 * whole (chains, tree, signed checkpoints), then every source command is appended to the
 * target in ledger order, one at a time, as recorded (event ids, recordedAt, exact expected
 * revisions, command id and request fingerprint), each event's hash checked just before and
 * the target's just after; every checkpoint is carried once its root is reproduced. The target
 * starts empty or as an earlier, interrupted copy of this source (resumed at its count; a
 * command in flight when it stopped is made safe by its command id). It ends by verifying the
 * target against the source (verify-copy.ts).
 */
export const copyLedger = async (options: CopyOptions): Promise<CopyReport> => {
  const { source, target, publicKey, signal } = options;
  const onProgress = options.onProgress ?? (() => {});
  const sourceCheckpoints = await source.integrity.checkpoints.all();
  const chain = new SourceChain(
    async (stream, revision) => {
      for await (const event of source.events.readStream(stream, { fromRevision: revision })) return event;
      return undefined;
    },
    { source: source.events.stampsKept === true, target: target.events.stampsKept === true },
  );
  const resumedAt = await resumePoint({ source, target }, sourceCheckpoints, chain, onProgress);

  let started = performance.now();
  const sourceTree = new TreeIndex(source.integrity, source.integrity.merkleNodes);
  await sourceTree.catchUp().catch((error: unknown) => {
    // A damaged ledger cannot be indexed; verify names the damage precisely.
    if (!(error instanceof LedgerDamaged)) throw error;
  });
  const verified = await verifyLedger({
    integrity: source.integrity,
    tree: sourceTree,
    publicKey,
    kept: options.kept ?? [],
    // As `ledger verify` does: a ledger whose key was rotated has checkpoints of each key, each endorsed by the one before.
    keyHistory: (before) => readKeyHistory(source.events, before),
    onProgress: (done, total) => onProgress({ phase: 'verifying the source', done, total }),
  });
  if (!verified.ok)
    throw new CopyRefused(
      'source-fails-verification',
      `the source does not verify, so none of it is copied: ${describeFailure(verified.failure!)}`,
      verified.failure?.position === undefined ? undefined : BigInt(verified.failure.position),
    );
  const size = BigInt(verified.treeSize);
  const seconds = { verifySource: since(started), copy: 0, verifyTarget: 0 };
  if (resumedAt > size)
    throw new CopyRefused('target-not-a-copy', `the target holds ${resumedAt} events, more than the ${size} the source verified with`);

  started = performance.now();
  // Each checkpoint by the key in force at its size, as verify checked them: the key history names every key since the first.
  const { rotations } = await readKeyHistory(source.events);
  const keys = knownPublicKeys(publicKey, rotations, sourceCheckpoints);
  const carrier = new CheckpointCarrier(
    sourceCheckpoints.filter((c) => BigInt(c.treeSize) <= size),
    target.integrity.checkpoints,
    (treeSize) => keys.get(keyAt(rotations, treeSize) ?? keyIdOf(publicKey)),
  );
  const targetHashes = new TargetHashes(target.integrity);
  const targetTree = new TreeIndex(target.integrity, target.integrity.merkleNodes);
  /** Carries every checkpoint the copy has reached: the target then holds the source's first `position` events. */
  const reach = async (position: bigint) => {
    while (carrier.nextSize !== undefined && BigInt(carrier.nextSize) <= position) {
      const treeSize = carrier.nextSize;
      await targetHashes.check();
      // Below the copy's frontier (in a resumed prefix, or signed late): the target's tree, whose leaves were found to be the source's.
      const root = BigInt(treeSize) === chain.size ? chain.root() : (await targetTree.catchUp(), targetTree.root(treeSize));
      await carrier.reached(treeSize, root);
    }
  };
  await reach(resumedAt);

  let position = resumedAt;
  let commands = 0;
  let lastReported = position;
  onProgress({ phase: 'copying', done: Number(position), total: Number(size) });
  for await (const command of sourceCommands(source.events, resumedAt, size)) {
    if (signal?.aborted) break;
    for (const event of command.events) await chain.check(event);
    await append(target.events, command);
    for (const event of command.events) await targetHashes.expect(event.position, event.hash);
    position = command.result.lastPosition + 1n;
    commands++;
    await reach(position);
    if (position - lastReported >= PROGRESS_EVERY) {
      onProgress({ phase: 'copying', done: Number(position), total: Number(size) });
      lastReported = position;
    }
  }
  await targetHashes.check();
  if (position === size) {
    // Checkpoints the source signed while it was copied, over events the target now holds, are carried too.
    carrier.add((await source.integrity.checkpoints.all()).filter((c) => BigInt(c.treeSize) <= size));
    await reach(size);
  }
  seconds.copy = since(started);
  onProgress({ phase: 'copying', done: Number(position), total: Number(size) });
  const report: CopyReport = {
    size: Number(size),
    resumedAt: Number(resumedAt),
    copiedEvents: Number(position - resumedAt),
    copiedCommands: commands,
    checkpointsCarried: carrier.carried,
    seconds,
    parts: [],
  };
  if (position < size) return { ...report, stoppedAt: Number(position) };
  const parts = options.parts ?? [];
  const copied = [];
  for (const part of parts) copied.push(await part.copy());

  started = performance.now();
  const verification = await verifyCopy({ source, target, size, sourceRoot: verified.rootHash!, publicKey, onProgress });
  for (const [i, part] of parts.entries()) report.parts.push({ name: part.name, copied: copied[i]!, verified: await part.verify() });
  seconds.verifyTarget = since(started);
  return { ...report, verification };
};

/** Appends one source command to the target as recorded; the target's answer must be the source's result. */
const append = async (target: EventStore, { events, result }: SourceCommand): Promise<void> => {
  const first = events[0]!;
  let answer: AppendResult;
  try {
    answer = await target.append({
      stream: first.stream,
      events: events.map(asAppended),
      expectedRevision: first.revision === 0n ? 'noStream' : first.revision - 1n,
      commandId: result.commandId,
      requestFingerprint: result.requestFingerprint,
    });
  } catch (error) {
    if (error instanceof WrongExpectedRevision || error instanceof IdempotencyKeyReused)
      throw new CopyRefused(
        'target-diverged',
        `the target refused command ${result.commandId} at position ${first.position} (${error.message}): ` +
          'something other than this copy writes to it',
        first.position,
      );
    throw error;
  }
  if (!sameResult(answer, result))
    throw new CopyRefused(
      'target-diverged',
      `the target recorded command ${result.commandId} at positions ${answer.firstPosition}–${answer.lastPosition} of ${answer.stream}, ` +
        `where the source has ${result.firstPosition}–${result.lastPosition} of ${result.stream}: ` +
        'something other than this copy writes to it',
      first.position,
    );
};
