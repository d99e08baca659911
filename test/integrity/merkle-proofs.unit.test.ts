import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, verifyConsistency, verifyInclusion } from '../../src/integrity/merkle.ts';
import { CompactRange, consistencyProof, inclusionProof, treeRoot, type PerfectSubtree } from '../../src/integrity/merkle-proofs.ts';

/*
 * An independent, deliberately plain RFC 6962 implementation: recursion over arrays of
 * leaves, exactly as §2.1 writes MTH, PATH and PROOF. Nothing is shared with the code under
 * test except node:crypto.
 */
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const refLeaf = (d: Buffer) => sha(Buffer.from([0]), d);
const refNode = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);
const k = (n: number) => {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
};
const N = Number(process.env.MERKLE_N ?? 300);
const events = Array.from({ length: N }, (_, i) => sha(Buffer.from(`event ${i}`)));

// Over index ranges [lo, hi) of `events` rather than array slices, memoised, so checking
// 45,150 consistency proofs stays fast; otherwise word for word the RFC's definitions.
const memo = new Map<string, Buffer>();
const MTH = (lo: number, hi: number): Buffer => {
  const key = `${lo}:${hi}`;
  let hash = memo.get(key);
  if (!hash) {
    const n = hi - lo;
    hash = n === 0 ? sha() : n === 1 ? refLeaf(events[lo]!) : refNode(MTH(lo, lo + k(n)), MTH(lo + k(n), hi));
    memo.set(key, hash);
  }
  return hash;
};
const PATH = (m: number, lo: number, hi: number): Buffer[] => {
  if (hi - lo === 1) return [];
  const s = k(hi - lo);
  return m < s ? [...PATH(m, lo, lo + s), MTH(lo + s, hi)] : [...PATH(m - s, lo + s, hi), MTH(lo, lo + s)];
};
const SUBPROOF = (m: number, lo: number, hi: number, b: boolean): Buffer[] => {
  if (m === hi - lo) return b ? [] : [MTH(lo, hi)];
  const s = k(hi - lo);
  return m <= s ? [...SUBPROOF(m, lo, lo + s, b), MTH(lo + s, hi)] : [...SUBPROOF(m - s, lo + s, hi, false), MTH(lo, lo + s)];
};

/** Perfect subtrees straight from the reference, the way the SQLite index stores them. */
const perfect: PerfectSubtree = (level, index) => MTH(index * 2 ** level, (index + 1) * 2 ** level);

// Plain comparisons collected into a list: tens of thousands of deep toEqual calls on Buffers would take minutes.
const same = (a: Buffer[], b: Buffer[]) => a.length === b.length && a.every((h, i) => h.equals(b[i]!));

describe('RFC 6962 Merkle proofs against an independent recursive implementation', () => {
  it('computes every root from 1 to 300 leaves, both from subtrees and streaming', () => {
    const range = new CompactRange();
    expect(treeRoot(0, perfect)).toEqual(EMPTY_ROOT);
    for (let n = 1; n <= N; n++) {
      range.push(refLeaf(events[n - 1]!));
      const expected = MTH(0, n);
      expect(treeRoot(n, perfect).equals(expected)).toBe(true);
      expect(range.root().equals(expected)).toBe(true);
    }
  });

  it('gives and verifies the inclusion proof of every leaf in every tree size 1..300', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (let n = 1; n <= N; n++) {
      const root = MTH(0, n);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(m, n, perfect);
        if (!same(proof, PATH(m, 0, n))) wrong.push(`proof of ${m} in ${n}`);
        if (!verifyInclusion({ leafIndex: m, treeSize: n, eventHash: events[m]!, proof, root })) wrong.push(`verify ${m} in ${n}`);
        checked++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe((N * (N + 1)) / 2);
  });

  it('gives and verifies the consistency proof of every pair of sizes 1 ≤ m ≤ n ≤ 300', () => {
    const wrong: string[] = [];
    let checked = 0;
    const roots = Array.from({ length: N + 1 }, (_, n) => MTH(0, n));
    for (let n = 1; n <= N; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, n, perfect);
        if (!same(proof, SUBPROOF(m, 0, n, true))) wrong.push(`proof ${m} → ${n}`);
        if (!verifyConsistency({ firstSize: m, secondSize: n, firstRoot: roots[m]!, secondRoot: roots[n]!, proof }))
          wrong.push(`verify ${m} → ${n}`);
        checked++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe((N * (N + 1)) / 2);
  });
});
