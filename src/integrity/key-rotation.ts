import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { publicKeyFromRaw, rawPublicKey } from './checkpoint.ts';
import { signText, textSignatureValid } from './signed-text.ts';
import { keyIdOf, type LedgerSigningKey } from './signing-key.ts';

/** The ledger's key history is a stream of its own: an event in the tree like any other, copied with the ledger. */
export const KEY_HISTORY_STREAM = 'ledger-signing-keys';
export const KEY_ROTATED = 'SigningKeyRotated';

const KeyId = z.string().regex(/^[0-9a-f]{16}$/);
const RawKey = z.string().regex(/^[A-Za-z0-9+/]{43}=$/);
const Signature = z.string().min(1);

/**
 * "From here on the ledger's checkpoints are signed by key `to`, not `from`." Endorsed: the
 * old key signed it (so whoever trusts the old key may trust the new). Old key lost: only the
 * new key signed it, and it says so, with the operator's reason: trust in what is signed after
 * it must come from the new key, obtained from the operator. Either way the new key signs it
 * too (`acceptance`), so no one can name a key they do not hold.
 */
export const KeyRotation = z
  .object({
    from: z
      .object({ keyId: KeyId, publicKey: RawKey.nullable().describe('null: the key was lost before its public key was recorded') })
      .strict(),
    to: z.object({ keyId: KeyId, publicKey: RawKey }).strict(),
    rotatedAt: z.iso.datetime(),
    oldKeyLost: z.boolean(),
    reason: z.string().min(1).max(2000),
    endorsement: Signature.nullable().describe("The old key's signature of the rotation text; null when the old key was lost"),
    acceptance: Signature.describe("The new key's signature of the rotation text"),
  })
  .strict();
export type KeyRotation = z.infer<typeof KeyRotation>;

export const KEY_ROTATION_ORIGIN = 'assurance-ledger key-rotation v1';

/** The exact bytes both keys sign: six lines, each ending in a newline. */
export const rotationText = (r: Pick<KeyRotation, 'from' | 'to' | 'rotatedAt' | 'oldKeyLost'>): string =>
  [KEY_ROTATION_ORIGIN, r.from.keyId, r.to.keyId, r.to.publicKey, r.rotatedAt, r.oldKeyLost ? 'old-key-lost' : 'endorsed', ''].join('\n');

/** A planned rotation: the old key, still held, endorses the new one. */
export const endorsedRotation = (from: LedgerSigningKey, to: LedgerSigningKey, rotatedAt: string, reason: string): KeyRotation => {
  const fields = {
    from: { keyId: from.keyId, publicKey: rawPublicKey(from.publicKey) },
    to: { keyId: to.keyId, publicKey: rawPublicKey(to.publicKey) },
    rotatedAt,
    oldKeyLost: false,
  };
  const text = rotationText(fields);
  return { ...fields, reason, endorsement: signText(from, text), acceptance: signText(to, text) };
};

/** An operator's rotation after the old key was lost: marked as such, signed by the new key alone. */
export const operatorRotation = (
  from: { keyId: string; publicKey: string | null },
  to: LedgerSigningKey,
  rotatedAt: string,
  reason: string,
): KeyRotation => {
  const fields = { from, to: { keyId: to.keyId, publicKey: rawPublicKey(to.publicKey) }, rotatedAt, oldKeyLost: true };
  return { ...fields, reason, endorsement: null, acceptance: signText(to, rotationText(fields)) };
};

/** The public key a rotation record carries for one of its keys, when it matches the key id. */
export const rotationKey = (side: { keyId: string; publicKey: string | null }): KeyObject | undefined => {
  if (!side.publicKey) return undefined;
  try {
    const key = publicKeyFromRaw(side.publicKey);
    return keyIdOf(key) === side.keyId ? key : undefined;
  } catch {
    return undefined;
  }
};

/** Why a rotation record does not hold, or undefined when it does: the keys' ids and signatures, as it claims them. */
export const rotationProblem = (r: KeyRotation): string | undefined => {
  const text = rotationText(r);
  const to = rotationKey(r.to);
  if (!to) return `its new key ${r.to.keyId} does not match the public key it gives`;
  if (!textSignatureValid(text, r.acceptance, to)) return `it is not signed by its new key ${r.to.keyId}`;
  if (r.oldKeyLost) return r.endorsement === null ? undefined : 'it says the old key was lost, yet carries an endorsement';
  const from = rotationKey(r.from);
  if (!from || r.endorsement === null || !textSignatureValid(text, r.endorsement, from))
    return `it says key ${r.from.keyId} endorsed it, but that key's signature is not there`;
  return undefined;
};
