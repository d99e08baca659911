import { sign, verify, type KeyObject } from 'node:crypto';
import type { LedgerSigningKey } from './signing-key.ts';

/**
 * The ledger signs small line-based texts (checkpoints, plan heads) that anyone can rebuild
 * from the fields, so verifying needs no JSON canonicalisation. Ed25519, base64 signatures.
 */
export const signText = (key: LedgerSigningKey, text: string): string =>
  sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');

/** True when the signature is the key's over exactly this text; a malformed signature is simply false. */
export const textSignatureValid = (text: string, signature: string, publicKey: KeyObject): boolean => {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
};
