import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';

/**
 * The PEM checked as a key here, so a file that holds none is named as the problem: the verifiers would
 * otherwise fail on it later and blame what they were checking (an export, a pack) for it.
 */
const checkedKey = (file: string, pem: string): string => {
  let key;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error(`${file} holds no public key: give the PEM of GET /ledger/public-key.pem, or the JSON of GET /ledger/public-key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} holds a ${key.asymmetricKeyType} key, not the ledger's Ed25519 key`);
  return pem;
};

/** A public key file: PEM, or the JSON GET /ledger/public-key answers ({ keyId, pem, algorithm }). */
export const readPublicKeyPem = (file: string): string => {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.trimStart().startsWith('{')) return checkedKey(file, text);
  const pem = (JSON.parse(text) as { pem?: unknown }).pem;
  if (typeof pem !== 'string')
    throw new Error(`${file} is JSON without a "pem" field: expected the answer of GET /ledger/public-key or a PEM file`);
  return checkedKey(file, pem);
};

/**
 * The key an offline verifier was told to pin (`--public-key <file>`), as the verifiers take it: `{}` when none was given,
 * undefined when the file cannot be read, which is said on stderr with exit 1, in the same words by every verifier.
 */
export const pinnedKeyOption = (file: string | undefined): { trustedPublicKeyPem?: string } | undefined => {
  if (file === undefined) return {};
  try {
    return { trustedPublicKeyPem: readPublicKeyPem(file) };
  } catch (error) {
    console.error(`cannot read the public key ${file}: ${(error as Error).message}`);
    process.exitCode = 1;
    return undefined;
  }
};
