import { hash } from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing and proof verification. Leaves are the events'
 * chain hashes (32 raw bytes) in global order. Domain separation (0x00 for leaves, 0x01 for
 * interior nodes) stops a leaf from being passed off as an interior node (second preimages).
 */
const sha256 = (data: Buffer): Buffer => hash('sha256', data, 'buffer');

// One scratch buffer per kind: hashing is synchronous, so reusing it is safe, and verify
// hashes two of these per event (a fresh allocation each was a visible share of its time).
const leafInput = Buffer.alloc(33, 0x00);
const nodeInput = Buffer.alloc(65, 0x01);

/** MTH({d}) = SHA-256(0x00 || d). */
export const leafHash = (eventHash: Buffer): Buffer => {
  if (eventHash.length !== 32) return sha256(Buffer.concat([Buffer.from([0x00]), eventHash]));
  eventHash.copy(leafInput, 1);
  return sha256(leafInput);
};

/** SHA-256(0x01 || left || right). */
export const nodeHash = (left: Buffer, right: Buffer): Buffer => {
  if (left.length !== 32 || right.length !== 32) return sha256(Buffer.concat([Buffer.from([0x01]), left, right]));
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return sha256(nodeInput);
};

/** The empty tree's root: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT = sha256(Buffer.alloc(0));

export const fromHex = (hex: string): Buffer => {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new TypeError(`expected 64 lower-case hex digits, got ${JSON.stringify(hex)}`);
  return Buffer.from(hex, 'hex');
};

/** The largest power of two strictly below n (n ≥ 2): RFC 6962's split point k. */
export const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

export interface InclusionClaim {
  leafIndex: number;
  treeSize: number;
  /** The leaf's event hash (not yet leaf-hashed). */
  eventHash: Buffer;
  proof: Buffer[];
  root: Buffer;
}

/** RFC 9162 §2.1.3.2, step by step. Indices are numbers: 2^53 events is beyond any ledger here. */
export const verifyInclusion = ({ leafIndex, treeSize, eventHash, proof, root }: InclusionClaim): boolean => {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return false;
  if (proof.some((p) => p.length !== 32)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash(eventHash);
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
};

export interface ConsistencyClaim {
  firstSize: number;
  secondSize: number;
  firstRoot: Buffer;
  secondRoot: Buffer;
  proof: Buffer[];
}

/**
 * RFC 9162 §2.1.4.2. Both roots are recomputed from the proof and both must match: a
 * verifier that only rebuilds the second root accepts a proof that says nothing about the
 * first, so a server could fork history unseen. (The same class of flaw as immudb's
 * GHSA-672p-m5jq-mrh8, where clients did not verify the middle entries of a linear proof and a
 * server could present two different contents for one transaction; the fork test in
 * forged-proofs.unit.test.ts covers it here.) Every length is checked, and the loop fails as
 * soon as the path runs past the top of the tree.
 */
export const verifyConsistency = ({ firstSize, secondSize, firstRoot, secondRoot, proof }: ConsistencyClaim): boolean => {
  if (!Number.isSafeInteger(firstSize) || !Number.isSafeInteger(secondSize)) return false;
  if (firstSize < 1 || firstSize > secondSize) return false;
  if (proof.some((p) => p.length !== 32)) return false;
  if (firstSize === secondSize) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(firstSize) ? [firstRoot, ...proof] : [...proof];
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
};
