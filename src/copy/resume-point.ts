import type { Checkpoint } from '../integrity/checkpoint.ts';
import { CopyRefused } from './copy-refused.ts';
import type { CopyEnd, CopyProgressListener } from './copy-end.ts';
import type { SourceChain } from './source-chain.ts';

const PAGE = 20_000;

/**
 * Where a copy starts: 0 on an empty target; on a target that already holds events, its
 * count, provided it holds exactly the source's first events (an interrupted copy of this
 * source: appends are atomic, so it ends on a command boundary) and no checkpoint the source
 * did not sign. Anything else is another ledger, and the copy is refused before it writes.
 * The prefix's leaves are handed to `chain`, so checkpoints beyond it can be checked.
 */
export const resumePoint = async (
  { source, target }: { source: CopyEnd; target: CopyEnd },
  sourceCheckpoints: Checkpoint[],
  chain: SourceChain,
  onProgress: CopyProgressListener,
): Promise<bigint> => {
  const held = BigInt(await target.events.count());
  if (held === 0n) return 0n;
  const sourceSize = BigInt(await source.events.count());
  if (held > sourceSize)
    throw new CopyRefused(
      'target-not-a-copy',
      `the target already holds ${held} events, more than the source's ${sourceSize}: ` +
        'it is another ledger, not a copy of this one in progress',
    );
  for (let from = 0n; from < held;) {
    const limit = Number(held - from < BigInt(PAGE) ? held - from : BigInt(PAGE));
    const [ours, theirs] = await Promise.all([source.integrity.leafHashes(from, limit), target.integrity.leafHashes(from, limit)]);
    for (let i = 0; i < limit; i++) {
      const position = from + BigInt(i);
      const a = ours[i];
      const b = theirs[i];
      if (a?.position !== position || b?.position !== position || a.hash === null || a.hash !== b.hash)
        throw new CopyRefused(
          'target-not-a-copy',
          `the target already holds ${held} events, and its event at position ${position} is not the source's: it is another ledger. ` +
            'A copy goes into an empty ledger, or resumes into one that holds the start of this same source',
          position,
        );
      chain.takeOverLeaf(a.hash);
    }
    from += BigInt(limit);
    onProgress({ phase: 'checking the target', done: Number(from), total: Number(held) });
  }
  const signed = new Set(sourceCheckpoints.map((c) => `${c.treeSize} ${c.rootHash} ${c.signature}`));
  for (const checkpoint of await target.integrity.checkpoints.all())
    if (!signed.has(`${checkpoint.treeSize} ${checkpoint.rootHash} ${checkpoint.signature}`))
      throw new CopyRefused(
        'target-not-a-copy',
        `the target holds a checkpoint for ${checkpoint.treeSize} events (root ${checkpoint.rootHash}) that the source did not sign: ` +
          'something other than this copy writes to it',
      );
  for await (const last of source.events.readAll({ fromPosition: held - 1n, limit: 1 })) chain.takeOverTime(last.recordedAt);
  return held;
};
