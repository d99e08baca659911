import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafHash, verifyConsistency, verifyInclusion } from '../../src/integrity/merkle.ts';
import { CompactRange, consistencyProof, inclusionProof, treeRoot, type PerfectSubtree } from '../../src/integrity/merkle-proofs.ts';

const sha = (text: string) => createHash('sha256').update(text).digest();

/** A small in-memory tree: perfect subtrees computed by streaming each aligned block. */
const treeOf = (events: Buffer[]) => {
  const perfect: PerfectSubtree = (level, index) => {
    const range = new CompactRange();
    for (const e of events.slice(index * 2 ** level, (index + 1) * 2 ** level)) range.push(leafHash(e));
    return range.root();
  };
  return { perfect, root: (n: number) => treeRoot(n, perfect) };
};

const honestEvents = Array.from({ length: 21 }, (_, i) => sha(`event ${i}`));
const honest = treeOf(honestEvents);
const flip = (b: Buffer) => {
  const copy = Buffer.from(b);
  copy[5]! ^= 0x01;
  return copy;
};

describe('forged inclusion proofs are refused', () => {
  const [m, n] = [6, 21];
  const proof = inclusionProof(m, n, honest.perfect);
  const claim = { leafIndex: m, treeSize: n, eventHash: honestEvents[m]!, proof, root: honest.root(n) };

  it('accepts the honest proof (the baseline every forgery below changes one thing in)', () => {
    expect(verifyInclusion(claim)).toBe(true);
  });

  it.each([
    ['a proof hash with one bit flipped', { proof: proof.map((p, i) => (i === 2 ? flip(p) : p)) }],
    ['an extra hash appended', { proof: [...proof, sha('extra')] }],
    ['the last hash dropped', { proof: proof.slice(0, -1) }],
    ['hashes reordered', { proof: [proof[1]!, proof[0]!, ...proof.slice(2)] }],
    ['a different event', { eventHash: sha('forged event') }],
    ['the same event claimed at another index', { leafIndex: m + 1 }],
    // (A size whose path has the same shape proves nothing new: sizes are bound by the signed checkpoint.)
    ['a smaller tree with its own genuine root', { treeSize: n - 1, root: honest.root(n - 1) }],
    ['an index beyond the tree', { leafIndex: n }],
    ['a forged root', { root: sha('forged root') }],
    ['a 31-byte hash in the path', { proof: [proof[0]!.subarray(1), ...proof.slice(1)] }],
  ])('refuses %s', (_name, change) => {
    expect(verifyInclusion({ ...claim, ...change })).toBe(false);
  });

  it('refuses an interior node passed off as a leaf (second preimage): domain separation', () => {
    // Leaves 0 and 1 hash to node(leaf0, leaf1); presenting that node's children as an "event" must fail.
    const proof2 = inclusionProof(0, 4, honest.perfect);
    expect(
      verifyInclusion({ leafIndex: 0, treeSize: 2, eventHash: honest.perfect(1, 0), proof: proof2.slice(1), root: honest.root(4) }),
    ).toBe(false);
  });
});

describe('forged consistency proofs are refused (RFC 9162 §2.1.4.2 checks both roots; cf. GHSA-672p-m5jq-mrh8)', () => {
  // A forked history: same length, the first event rewritten, so one position holds two different
  // contents — what GHSA-672p-m5jq-mrh8 let an immudb server show (its clients skipped the middle
  // entries of a linear proof). Its later roots share nothing with the honest ones.
  const forkEvents = honestEvents.map((e, i) => (i === 0 ? sha('rewritten event 0') : e));
  const fork = treeOf(forkEvents);

  for (const [m, n] of [
    [8, 21],
    [7, 21],
    [1, 21],
    [13, 16],
  ] as const) {
    const proof = consistencyProof(m, n, honest.perfect);
    const claim = { firstSize: m, secondSize: n, firstRoot: honest.root(m), secondRoot: honest.root(n), proof };

    it(`from ${m} to ${n}: accepts the honest proof, refuses every forgery`, () => {
      expect(verifyConsistency(claim)).toBe(true);
      // The second root is right, but the old root is one the log never had.
      expect(verifyConsistency({ ...claim, firstRoot: sha('a root the log never had') })).toBe(false);
      expect(verifyConsistency({ ...claim, firstRoot: fork.root(m) })).toBe(false);
      // A proof that the forked old tree grew into the honest new one.
      expect(verifyConsistency({ ...claim, firstRoot: fork.root(m), proof: consistencyProof(m, n, fork.perfect) })).toBe(false);
      expect(verifyConsistency({ ...claim, secondRoot: fork.root(n) })).toBe(false);
      expect(verifyConsistency({ ...claim, proof: [] })).toBe(false);
      expect(verifyConsistency({ ...claim, proof: [...proof, sha('extra')] })).toBe(false);
      expect(verifyConsistency({ ...claim, proof: proof.slice(0, -1) })).toBe(false);
      expect(verifyConsistency({ ...claim, proof: proof.map((p, i) => (i === 0 ? flip(p) : p)) })).toBe(false);
      expect(verifyConsistency({ ...claim, firstSize: m + 1 })).toBe(false);
      expect(verifyConsistency({ ...claim, secondSize: n - 1, secondRoot: honest.root(n - 1) })).toBe(false);
    });
  }

  it('refuses impossible sizes and equal sizes with a proof or differing roots', () => {
    const root = honest.root(5);
    expect(verifyConsistency({ firstSize: 0, secondSize: 5, firstRoot: root, secondRoot: root, proof: [] })).toBe(false);
    expect(
      verifyConsistency({
        firstSize: 6,
        secondSize: 5,
        firstRoot: honest.root(6),
        secondRoot: root,
        proof: consistencyProof(5, 6, honest.perfect),
      }),
    ).toBe(false);
    expect(verifyConsistency({ firstSize: 5, secondSize: 5, firstRoot: root, secondRoot: root, proof: [] })).toBe(true);
    expect(verifyConsistency({ firstSize: 5, secondSize: 5, firstRoot: root, secondRoot: root, proof: [root] })).toBe(false);
    expect(verifyConsistency({ firstSize: 5, secondSize: 5, firstRoot: root, secondRoot: fork.root(5), proof: [] })).toBe(false);
  });
});
