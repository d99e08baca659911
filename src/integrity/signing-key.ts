import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The public half alone: enough to verify, as an auditor holding a copy of the ledger has. */
export interface LedgerVerificationKey {
  publicKey: KeyObject;
  /** SPKI PEM: what GET /ledger/public-key serves and exports embed. */
  publicKeyPem: string;
  keyId: string;
}

/** The ledger's Ed25519 checkpoint key and the public half auditors pin. */
export interface LedgerSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM: what GET /ledger/public-key serves and exports embed. */
  publicKeyPem: string;
  /** First 16 hex digits of SHA-256 of the raw 32-byte public key: a short name to compare by eye. */
  keyId: string;
}

export interface SigningKeySource {
  /** PKCS#8 PEM text (LEDGER_SIGNING_KEY). Wins over the file. */
  pem?: string | undefined;
  /** Path of a PKCS#8 PEM file (LEDGER_SIGNING_KEY_FILE). Must exist when given. */
  file?: string | undefined;
  /** Where a key is generated on first start when neither is given. */
  dataDir: string;
  /** False for tools that must not invent a key (verify, export): a missing key is an error. */
  generate?: boolean;
}

export class NoSigningKey extends Error {}

export const verificationKeyFromPem = (pem: string): LedgerVerificationKey => {
  const publicKey = publicKeyFromPem(pem);
  return { publicKey, publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), keyId: keyIdOf(publicKey) };
};

export const DEFAULT_KEY_FILE = 'ledger-signing-key.pem';

export const keyIdOf = (publicKey: KeyObject): string => {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
};

export const publicKeyFromPem = (pem: string): KeyObject => {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the ledger public key must be Ed25519, got ${key.asymmetricKeyType}`);
  return key;
};

const fromPrivateKey = (privateKey: KeyObject): LedgerSigningKey => {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the ledger signing key must be Ed25519, got ${privateKey.asymmetricKeyType}`);
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: keyIdOf(publicKey),
  };
};

/**
 * Loads the signing key, or on first start generates one in the data dir (mode 0600, created
 * exclusively so two processes starting together end up with the same key). `generated` names
 * the file when a new key was made, so the caller can print the public key once.
 */
export const loadSigningKey = (source: SigningKeySource): { key: LedgerSigningKey; generated?: string } => {
  if (source.pem) return { key: fromPrivateKey(createPrivateKey(source.pem)) };
  if (source.file) return { key: fromPrivateKey(createPrivateKey(fs.readFileSync(source.file, 'utf8'))) };
  const file = path.join(source.dataDir, DEFAULT_KEY_FILE);
  if (fs.existsSync(file)) return { key: fromPrivateKey(createPrivateKey(fs.readFileSync(file, 'utf8'))) };
  if (source.generate === false) {
    throw new NoSigningKey(`no ledger signing key at ${file} (set LEDGER_SIGNING_KEY_FILE or LEDGER_SIGNING_KEY)`);
  }
  fs.mkdirSync(source.dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  // Written whole and flushed under a temporary name, then linked into place: a process killed
  // half-way leaves no half-written key, and link fails if another process made one first.
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w', 0o600);
  try {
    fs.writeSync(fd, pem);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    // Another process generated it first: use theirs, so there is only ever one key.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadSigningKey(source);
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  return { key: fromPrivateKey(privateKey), generated: file };
};
