import fs from 'node:fs';

/** A public key file: PEM, or the JSON GET /ledger/public-key answers ({ keyId, pem, algorithm }). */
export const readPublicKeyPem = (file: string): string => {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.trimStart().startsWith('{')) return text;
  const pem = (JSON.parse(text) as { pem?: unknown }).pem;
  if (typeof pem !== 'string')
    throw new Error(`${file} is JSON without a "pem" field: expected the answer of GET /ledger/public-key or a PEM file`);
  return pem;
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
