import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `al_<keyId>_<secret>`: a visible prefix so secret scanners and
 * people recognise them, a key id to look the key up by (so verification is one
 * indexed read and one comparison, never a scan), and 32 random bytes of secret.
 * Only SHA-256 of the whole key is stored: with 256 bits of entropy a slow password
 * hash adds nothing, and the key id is bound into the hash.
 */
const KEY = /^al_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  keyId: string;
  /** Shown once to whoever created it; never stored. */
  key: string;
  hash: Buffer;
}

// One-shot crypto.hash: it runs on every API-key request, and skips building a Hash object.
export const hashApiKey = (key: string): Buffer => hash('sha256', key, 'buffer');

export const generateApiKey = (): NewApiKey => {
  const keyId = randomBytes(8).toString('hex');
  const key = `al_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { keyId, key, hash: hashApiKey(key) };
};

export const looksLikeApiKey = (credential: string): boolean => credential.startsWith('al_');

/** The key id of a well-formed key, or undefined for anything else. */
export const apiKeyId = (key: string): string | undefined => KEY.exec(key)?.[1];

/** Constant-time comparison of the presented key's hash with the stored one. */
export const apiKeyMatches = (presented: string, storedHash: Buffer): boolean => {
  const hash = hashApiKey(presented);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
};
