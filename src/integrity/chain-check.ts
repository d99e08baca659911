import type { ClockStepBack, IntegrityFailure, ProgressListener } from './verify-report.ts';

/**
 * What verify asks a backend to check (VerificationView.checkChains): every event's chain
 * link in [0, size), in slices. With more than one slice, every slice but the last holds 2^k
 * events and starts at a multiple of 2^k (planSlices), so each slice's Merkle subtrees line
 * up with the whole tree's and the slices can be hashed apart, on as many threads as the
 * backend likes. verify-chains.ts checks one slice the same way on every backend.
 */
export interface ChainCheckRequest {
  /** The view's ledger size. */
  size: bigint;
  /** Tree sizes at which verify compares the tree with a signed root: each slice records its frontier there. */
  checkpointSizes: bigint[];
  /** Threads the caller asks for; the backend may use fewer (a remote backend: one). */
  workers?: number | undefined;
  onProgress?: ProgressListener | undefined;
}

export interface ChainSliceResult {
  /** The slice's first position. */
  from: bigint;
  /**
   * The slice's own Merkle subtrees (largest first, over the recomputed event hashes) when it
   * had checked `size` events from its start: at each checkpoint size inside it, and at its end.
   */
  frontiers: Array<{ size: number; subtrees: Buffer[] }>;
  eventsChecked: number;
  streams: number;
  /** The slice's first and last recordedAt, and where within it ledger time went backwards. */
  clock: { first?: string; last?: string; stepsBack: number; listed: ClockStepBack[] };
  failure?: IntegrityFailure;
}

export interface Slice {
  index: number;
  from: number;
  to: number;
}

/** Below this many events one thread does it: starting threads costs ~0.5 s. */
export const PARALLEL_FROM = 20_000;

/**
 * Splits [0, total) for `workers` threads by the rule above; about four slices per thread
 * keeps them even.
 */
export const planSlices = (total: number, workers: number): Slice[] => {
  if (workers <= 1 || total === 0) return [{ index: 0, from: 0, to: total }];
  let size = 1;
  while (size * 2 <= total / (workers * 4)) size *= 2;
  return Array.from({ length: Math.ceil(total / size) }, (_, index) => ({
    index,
    from: index * size,
    to: Math.min(total, (index + 1) * size),
  }));
};
