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
