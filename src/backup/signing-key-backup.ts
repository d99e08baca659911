import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { z } from 'zod';

/**
 * The ledger's signing key, encrypted with a passphrase for a backup: scrypt derives a 256-bit
 * key from the passphrase (N = 2^17, r = 8, p = 1: about 128 MiB and a fraction of a second,
 * OWASP's recommended floor), AES-256-GCM encrypts the PEM and authenticates it together with
 * the key id, so a wrong passphrase, an edited file or a file moved onto another key's backup
 * is refused rather than decrypted into garbage. Node's own crypto (OpenSSL); nothing hand-made.
 */
export const EncryptedSigningKey = z
  .object({
    format: z.literal('assurance-ledger/encrypted-signing-key/v1'),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    kdf: z.object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string() }).strict(),
    cipher: z.literal('aes-256-gcm'),
    iv: z.string(),
    tag: z.string(),
    ciphertext: z.string(),
  })
  .strict();
export type EncryptedSigningKey = z.infer<typeof EncryptedSigningKey>;

const SCRYPT = { N: 2 ** 17, r: 8, p: 1 };
/** Node refuses scrypt parameters needing more than maxmem; 128·N·r bytes plus room. */
const maxmemFor = (kdf: { N: number; r: number; p: number }) => 128 * kdf.N * kdf.r * (kdf.p + 1) + 1024 * 1024;

export class WrongPassphrase extends Error {
  constructor() {
    super('the passphrase does not open the backed-up signing key (or the encrypted key file was changed)');
  }
}

/** A passphrase must be worth the scrypt work: 12 characters at least. */
export const PASSPHRASE_MIN_CHARACTERS = 12;
export const checkPassphrase = (passphrase: string): void => {
  if (passphrase.length < PASSPHRASE_MIN_CHARACTERS)
    throw new Error(`the backup passphrase must be at least ${PASSPHRASE_MIN_CHARACTERS} characters long`);
};

export const encryptSigningKey = (pem: string, keyId: string, passphrase: string): EncryptedSigningKey => {
  checkPassphrase(passphrase);
  const salt = randomBytes(16);
  const key = scryptSync(passphrase.normalize('NFC'), salt, 32, { ...SCRYPT, maxmem: maxmemFor(SCRYPT) });
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  return {
    format: 'assurance-ledger/encrypted-signing-key/v1',
    keyId,
    kdf: { name: 'scrypt', ...SCRYPT, salt: salt.toString('base64') },
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
};

/** The PEM, or WrongPassphrase when the passphrase or the file is not the one it was made with. */
export const decryptSigningKey = (encrypted: EncryptedSigningKey, passphrase: string): string => {
  const { kdf } = encrypted;
  const key = scryptSync(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: maxmemFor(kdf),
  });
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(encrypted.iv, 'base64'));
  decipher.setAAD(Buffer.from(encrypted.keyId, 'utf8'));
  decipher.setAuthTag(Buffer.from(encrypted.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(encrypted.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new WrongPassphrase();
  }
};
