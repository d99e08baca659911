import type { KeyObject } from 'node:crypto';
import { checkpointSignatureValid, type Checkpoint } from './checkpoint.ts';
import { keyAt, keyChain, knownPublicKeys, type KeyHistory } from './key-history.ts';
import { rotationProblem } from './key-rotation.ts';
import { keyIdOf } from './signing-key.ts';
import type { IntegrityFailure, KeyHistoryEntry } from './verify-report.ts';

export interface KeyCheck {
  failure?: IntegrityFailure;
  /** The keys the ledger signed with and how each came in; absent when it never rotated. */
  keyHistory?: KeyHistoryEntry[];
  /** Checkpoints whose key's public half the ledger never recorded (lost before the series carried keys): signatures not checkable. */
  unchecked: number;
}

/** A checkpoint's signature against the ledger's key history: the key in force at its size, and whether it signed it. */
export interface SignatureCheck {
  /** The id of the key the ledger's history puts in force at the checkpoint's size. */
  expected: string;
  signed: boolean;
}

/**
 * Checks a checkpoint (one the ledger holds, or one kept outside it) against the key the
 * ledger's history puts in force at its size: the trusted key when it never rotated.
 */
export const ledgerKeyCheck = (history: KeyHistory, trusted: KeyObject, checkpoints: Checkpoint[]) => {
  const keys = knownPublicKeys(trusted, history.rotations, checkpoints);
  const trustedId = keyIdOf(trusted);
  return (c: Checkpoint): SignatureCheck => {
    const expected = keyAt(history.rotations, c.treeSize) ?? trustedId;
    const key = keys.get(expected);
    return { expected, signed: c.keyId === expected && key !== undefined && checkpointSignatureValid(c, key) };
  };
};

/** Whether a checkpoint is signed by the key the ledger's history puts in force at its size. */
export const signedByLedgerKey = (history: KeyHistory, trusted: KeyObject, checkpoints: Checkpoint[]) => {
  const check = ledgerKeyCheck(history, trusted, checkpoints);
  return (c: Checkpoint): boolean => check(c).signed;
};

const entries = (history: KeyHistory): KeyHistoryEntry[] | undefined => {
  const [first] = history.rotations;
  if (!first) return undefined;
  return [
    { keyId: first.from.keyId, since: null, how: 'first' },
    ...history.rotations.map((r): KeyHistoryEntry => ({
      keyId: r.to.keyId,
      since: String(r.position),
      how: r.oldKeyLost ? 'old-key-lost' : 'endorsed',
      rotatedAt: r.rotatedAt,
      reason: r.reason,
    })),
  ];
};

/**
 * Every checkpoint against the ledger's documented key history, and the history against the
 * key the caller trusts. Without a rotation, every checkpoint must be signed by the trusted key.
 * With rotations: each record must hold (signed by its new key, and by its old key unless
 * marked lost) and replace the key then in force; each checkpoint must be signed by the key in
 * force at its size; the trusted key must be one of the ledger's keys; and it vouches for what
 * its successors signed only through endorsements: after an operator's rotation (old key lost)
 * only the newer key does. Earlier keys' checkpoints need no such vouching: the consistency
 * proofs bind them into the trees the trusted key signed.
 */
export const checkCheckpointKeys = (checkpoints: Checkpoint[], history: KeyHistory, trusted: KeyObject): KeyCheck => {
  const { rotations } = history;
  const keyHistory = entries(history);
  const result = (failure?: IntegrityFailure, unchecked = 0): KeyCheck => ({
    ...(failure ? { failure } : {}),
    ...(keyHistory ? { keyHistory } : {}),
    unchecked,
  });
  if (history.unreadable) {
    return result({
      kind: 'key-history-invalid',
      position: String(history.unreadable.position),
      message:
        `the ledger's key history holds a record it cannot read at position ${history.unreadable.position}: ` +
        `${history.unreadable.problem}`,
    });
  }
  for (const [i, r] of rotations.entries()) {
    const inForce = i === 0 ? r.from.keyId : rotations[i - 1]!.to.keyId;
    const problem =
      rotationProblem(r) ?? (r.from.keyId !== inForce ? `it replaces key ${r.from.keyId}, but key ${inForce} was in force` : undefined);
    if (problem)
      return result({
        kind: 'key-history-invalid',
        position: String(r.position),
        message: `the key rotation at position ${r.position} does not hold: ${problem}`,
      });
  }
  const trustedId = keyIdOf(trusted);
  const keys = knownPublicKeys(trusted, rotations, checkpoints);
  let unchecked = 0;
  for (const c of checkpoints) {
    const expected = keyAt(rotations, c.treeSize) ?? trustedId;
    const key = keys.get(expected);
    if (c.keyId !== expected || (key && !checkpointSignatureValid(c, key))) {
      return result({
        kind: 'checkpoint-signature-invalid',
        checkpointTreeSize: c.treeSize,
        message:
          c.keyId === expected
            ? `checkpoint ${c.treeSize} (key ${c.keyId}) is not signed by the ledger key`
            : `checkpoint ${c.treeSize} is signed by key ${c.keyId}, but the ledger's key at that size is ` +
              `${expected}${rotations.length ? ' (by its key history)' : ''}`,
        expected,
        // Another key's checkpoint is shown by its key id, as `expected` is; a forged signature by the signature itself.
        found: c.keyId === expected ? c.signature : c.keyId,
      });
    }
    if (!key) unchecked++;
  }
  if (rotations.length === 0) return result(undefined, unchecked);
  const chain = keyChain(rotations);
  const at = chain.indexOf(trustedId);
  if (at < 0) {
    return result({
      kind: 'untrusted-key',
      message: `the key you verify with (${trustedId}) is none of the ledger's signing keys (${chain.join(', ')}, the current one last)`,
      expected: chain.join(', '),
      found: trustedId,
    });
  }
  const signedBy = new Set(checkpoints.map((c) => c.keyId));
  for (const r of rotations.slice(at)) {
    if (!r.oldKeyLost) continue;
    const later = chain.slice(chain.indexOf(r.to.keyId));
    if (!later.some((k) => signedBy.has(k))) break;
    return result({
      kind: 'key-not-endorsed',
      position: String(r.position),
      message:
        `key ${r.to.keyId} replaced key ${r.from.keyId} at position ${r.position} without its endorsement (the operator recorded ` +
        `the old key as lost: ${r.reason}), ` +
        `so the key you verify with (${trustedId}) does not vouch for the checkpoints signed since: verify with key ` +
        `${chain.at(-1)}, as the ledger's operator publishes it`,
      expected: trustedId,
      found: r.to.keyId,
    });
  }
  return result(undefined, unchecked);
};
