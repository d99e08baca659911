import { checkpointHash, inSeries, type Checkpoint } from './checkpoint.ts';
import type { IntegrityFailure } from './verify-report.ts';

/**
 * The ledger's checkpoints, smallest tree first, must be one series: from the first of the
 * series (v2) on, each names the checkpoint stored just before it, by tree size and by the hash
 * of its signed text. So a checkpoint deleted from anywhere but the end is named by the one
 * after it (the end needs a checkpoint kept outside the ledger), and one replaced or slipped in
 * breaks a link. Checkpoints signed before the series (v1) name nothing and come first; the
 * first of the series names the last of them. The signatures are checked separately.
 */
export const checkSeries = (checkpoints: Checkpoint[]): IntegrityFailure | undefined => {
  const bySize = new Map(checkpoints.map((c) => [c.treeSize, c]));
  let seriesStarted = false;
  for (const [i, c] of checkpoints.entries()) {
    const before = checkpoints[i - 1];
    if (!inSeries(c)) {
      if (!seriesStarted) continue;
      return broken(
        c,
        `checkpoint ${c.treeSize} is of the format from before the series, yet comes after checkpoint ${before!.treeSize} of the series`,
      );
    }
    seriesStarted = true;
    const named = c.previous;
    if (named === null) {
      if (!before) continue;
      return broken(c, `checkpoint ${c.treeSize} says it is the first, but checkpoint ${before.treeSize} comes before it`);
    }
    if (before?.treeSize !== named.treeSize) {
      const stored = bySize.get(named.treeSize);
      if (!stored)
        return {
          kind: 'checkpoint-missing',
          checkpointTreeSize: named.treeSize,
          message:
            `checkpoint ${c.treeSize} was signed after checkpoint ${named.treeSize}, which the ledger no longer holds: a ` +
            `checkpoint was deleted`,
          expected: String(named.treeSize),
          found: before ? `checkpoint ${before.treeSize} before it` : 'no checkpoint before it',
        };
      return broken(
        c,
        `checkpoint ${c.treeSize} was signed after checkpoint ${named.treeSize}, but checkpoint ${before?.treeSize} stands ` +
          `between them: it was not signed in this series`,
      );
    }
    if (checkpointHash(before) !== named.hash)
      return broken(
        c,
        `checkpoint ${before.treeSize} is not the checkpoint ${c.treeSize} was signed after: it was replaced`,
        named.hash,
        checkpointHash(before),
      );
  }
  return undefined;
};

const broken = (c: Checkpoint, message: string, expected?: string, found?: string): IntegrityFailure => ({
  kind: 'checkpoint-series-broken',
  checkpointTreeSize: c.treeSize,
  message,
  ...(expected ? { expected } : {}),
  ...(found ? { found } : {}),
});
