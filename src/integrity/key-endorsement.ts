import { rotationProblem, type KeyRotation } from './key-rotation.ts';
import type { IntegrityFailure } from './verify-report.ts';

/**
 * Whether the key an auditor pinned vouches for the key that signed a bundle, through the key
 * rotations the bundle carries: each rotation from the pinned key on to the signer's must hold
 * and be endorsed by the key it replaces. Trust runs forward only: an old key endorses its
 * successors, but a newer key's word is no proof for what an older (perhaps lost, perhaps
 * stolen) key signs; an export made before a rotation verifies with the key of its day.
 * Returns the failure, or the keys the trust passed through.
 */
export const endorsementPath = (
  rotations: KeyRotation[],
  pinnedId: string,
  signerId: string,
  /** What was signed, in the messages: an export, or a signed view. */
  what: { file: string; made: string } = { file: 'bundle', made: 'export' },
): { keys: string[]; failure?: undefined } | { failure: IntegrityFailure } => {
  for (const [i, r] of rotations.entries()) {
    const problem =
      rotationProblem(r) ??
      (i > 0 && r.from.keyId !== rotations[i - 1]!.to.keyId ? 'it does not follow the rotation before it' : undefined);
    if (problem)
      return {
        failure: {
          kind: 'key-history-invalid',
          message: `the ${what.file}'s key rotation ${i + 1} (${r.from.keyId} -> ${r.to.keyId}) does not hold: ${problem}`,
        },
      };
  }
  const start = rotations.findIndex((r) => r.from.keyId === pinnedId);
  const end = rotations.findIndex((r) => r.to.keyId === signerId);
  if (start < 0 || end < start) {
    return {
      failure: {
        kind: 'untrusted-key',
        message:
          `the ${what.made} is signed by key ${signerId}, not by the key you pinned (${pinnedId}), and the key history it carries does ` +
          `not lead from ${pinnedId} to ${signerId}: ` +
          `pin the key that was the ledger's when the ${what.made} was made (a key vouches only for the keys after it)`,
        expected: pinnedId,
        found: signerId,
      },
    };
  }
  for (const r of rotations.slice(start, end + 1)) {
    if (r.oldKeyLost) {
      return {
        failure: {
          kind: 'key-not-endorsed',
          message:
            `key ${r.to.keyId} replaced key ${r.from.keyId} without its endorsement (the operator recorded ${r.from.keyId} as ` +
            `lost: ${r.reason}), ` +
            `so the key you pinned (${pinnedId}) does not vouch for this ${what.made}: ` +
            `pin key ${signerId} as the ledger's operator publishes it`,
          expected: pinnedId,
          found: signerId,
        },
      };
    }
  }
  return { keys: [pinnedId, ...rotations.slice(start, end + 1).map((r) => r.to.keyId)] };
};
