import { EMPTY_ROOT, nodeHash, splitPoint } from './merkle.ts';

/**
 * Proof generation (RFC 6962 §2.1.1 PATH and §2.1.2 SUBPROOF) over any source of perfect
 * subtree hashes, so the SQLite tree index, the verifier and the tests share one definition.
 * A perfect subtree is (level, index): leaves [index·2^level, (index+1)·2^level).
 */
export type PerfectSubtree = (level: number, index: number) => Buffer;

const log2 = (n: number): number => 31 - Math.clz32(n);

/**
 * MTH of leaves [lo, hi), where lo is a multiple of a power of two ≥ hi − lo (true of every
 * range the RFC recursions ask for). Reads O(log n) perfect subtrees, so a proof costs
 * O(log n) reads, never a scan.
 */
export const rangeHash = (lo: number, hi: number, perfect: PerfectSubtree): Buffer => {
  const n = hi - lo;
  if (n <= 0) throw new RangeError(`empty range [${lo}, ${hi})`);
  if ((n & (n - 1)) === 0 && n <= 2 ** 30) return perfect(log2(n), lo / n);
  const k = splitPoint(n);
  return nodeHash(perfect(log2(k), lo / k), rangeHash(lo + k, hi, perfect));
};

/** The root of the first `size` leaves. */
export const treeRoot = (size: number, perfect: PerfectSubtree): Buffer => (size === 0 ? EMPTY_ROOT : rangeHash(0, size, perfect));

/** The audit path for leaf m in a tree of `size` leaves, leaf-side first. */
export const inclusionProof = (m: number, size: number, perfect: PerfectSubtree): Buffer[] => {
  if (!(m >= 0 && m < size)) throw new RangeError(`leaf ${m} is not in a tree of size ${size}`);
  const path = (index: number, lo: number, hi: number): Buffer[] => {
    const n = hi - lo;
    if (n === 1) return [];
    const k = splitPoint(n);
    return index < k
      ? [...path(index, lo, lo + k), rangeHash(lo + k, hi, perfect)]
      : [...path(index - k, lo + k, hi), rangeHash(lo, lo + k, perfect)];
  };
  return path(m, 0, size);
};

/** The consistency proof between tree sizes first and second (1 ≤ first ≤ second). */
export const consistencyProof = (first: number, second: number, perfect: PerfectSubtree): Buffer[] => {
  if (!(first >= 1 && first <= second)) throw new RangeError(`no consistency proof from ${first} to ${second}`);
  const subproof = (m: number, lo: number, hi: number, whole: boolean): Buffer[] => {
    const n = hi - lo;
    if (m === n) return whole ? [] : [rangeHash(lo, hi, perfect)];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, lo, lo + k, whole), rangeHash(lo + k, hi, perfect)]
      : [...subproof(m - k, lo + k, hi, false), rangeHash(lo, lo + k, perfect)];
  };
  return subproof(first, 0, second, true);
};

/**
 * The right edge of a growing tree: one hash per perfect subtree in the binary
 * decomposition of its size. Appending a leaf merges equal-sized subtrees, like a binary
 * counter, so the root of a stream of n leaves costs n leaf hashes plus n node hashes.
 */
export class CompactRange {
  #levels: number[] = [];
  #hashes: Buffer[] = [];
  size = 0;

  /** Adds a leaf hash; calls onPerfect for every perfect subtree of two or more leaves it completes. */
  push(leaf: Buffer, onPerfect?: (level: number, index: number, hash: Buffer) => void): void {
    let level = 0;
    let hash = leaf;
    let index = this.size;
    while (this.#levels.length > 0 && this.#levels[this.#levels.length - 1] === level) {
      this.#levels.pop();
      hash = nodeHash(this.#hashes.pop()!, hash);
      level++;
      index = Math.floor(index / 2);
      onPerfect?.(level, index, hash);
    }
    this.#levels.push(level);
    this.#hashes.push(hash);
    this.size++;
  }

  /** Starts from a known size and its perfect subtrees (largest first). */
  static fromSubtrees(size: number, subtrees: Array<{ level: number; hash: Buffer }>): CompactRange {
    const range = new CompactRange();
    range.size = size;
    range.#levels = subtrees.map((s) => s.level);
    range.#hashes = subtrees.map((s) => s.hash);
    return range;
  }

  /** The perfect subtrees' hashes, largest (leftmost) first. */
  subtrees(): Buffer[] {
    return [...this.#hashes];
  }

  root(): Buffer {
    return foldSubtrees(this.#hashes);
  }
}

/**
 * The RFC 6962 root from a tree's perfect subtrees, largest (leftmost) first: folded from the
 * right. Subtrees from consecutive aligned pieces (e.g. slices of 2^k leaves, then the pieces
 * of a partial slice) concatenate into the same decomposition, which lets slices be hashed apart.
 */
export const foldSubtrees = (hashes: readonly Buffer[]): Buffer => {
  if (hashes.length === 0) return EMPTY_ROOT;
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i]!, root);
  return root;
};

/** The levels of the perfect subtrees making up a tree of `size` leaves, largest first. */
export const subtreeLevels = (size: number): number[] => {
  const levels: number[] = [];
  for (let level = 52; level >= 0; level--) if (Math.floor(size / 2 ** level) % 2 === 1) levels.push(level);
  return levels;
};
