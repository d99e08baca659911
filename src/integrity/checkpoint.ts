import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { signText, textSignatureValid } from './signed-text.ts';
import type { LedgerSigningKey } from './signing-key.ts';

const Hex32 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * A signed statement "the ledger's first treeSize events have this Merkle root", in the
 * spirit of C2SP tlog-checkpoint: the signature covers a small, line-based text that anyone
 * can rebuild from the fields, so verifying needs no JSON canonicalisation.
 *
 * Since v2 each checkpoint also names the one signed before it (its tree size and the SHA-256
 * of its signed text), so the checkpoints form one series that proves its own completeness:
 * a checkpoint deleted from the middle is named by the one after it. And it carries the public
 * key that signed it, so a checkpoint can be checked even once its key is lost. A v1
 * checkpoint (signed before the series) has neither field.
 */
export const Checkpoint = z
  .object({
    treeSize: z.number().int().min(1),
    rootHash: Hex32,
    issuedAt: z.iso.datetime(),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    publicKey: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/)
      .optional()
      .describe('v2: the raw 32-byte Ed25519 public key that signed it, base64'),
    previous: z
      .object({ treeSize: z.number().int().min(1), hash: Hex32.describe("SHA-256 of the previous checkpoint's signed text, hex") })
      .strict()
      .nullable()
      .optional()
      .describe('v2: the checkpoint signed before this one, or null for the first'),
    signature: z.string().min(1).describe('Ed25519 signature of the checkpoint text, base64'),
  })
  .strict();
export type Checkpoint = z.infer<typeof Checkpoint>;

export const CHECKPOINT_ORIGIN_V1 = 'assurance-ledger checkpoint v1';
export const CHECKPOINT_ORIGIN = 'assurance-ledger checkpoint v2';

/** A checkpoint of the series (v2): it names its predecessor, or null as the first. */
export const inSeries = (c: Checkpoint): c is Checkpoint & { previous: NonNullable<Checkpoint['previous']> | null; publicKey: string } =>
  c.previous !== undefined;

/**
 * The exact bytes signed, each line ending in a newline. v1: origin, key id, tree size, root,
 * time. v2 adds the public key after the key id, and the predecessor's tree size and text hash
 * at the end (0 and 64 zeros for the first).
 */
export const checkpointText = (c: Omit<Checkpoint, 'signature'>): string =>
  inSeries(c as Checkpoint)
    ? `${CHECKPOINT_ORIGIN}\n${c.keyId}\n${c.publicKey}\n${c.treeSize}\n${c.rootHash}\n${c.issuedAt}\n` +
      `${c.previous?.treeSize ?? 0}\n${c.previous?.hash ?? '0'.repeat(64)}\n`
    : `${CHECKPOINT_ORIGIN_V1}\n${c.keyId}\n${c.treeSize}\n${c.rootHash}\n${c.issuedAt}\n`;

/** What the next checkpoint names this one by: SHA-256 of its signed text. */
export const checkpointHash = (c: Checkpoint): string => createHash('sha256').update(checkpointText(c), 'utf8').digest('hex');

/** The raw 32-byte Ed25519 key, base64: how a checkpoint carries its key. */
export const rawPublicKey = (key: KeyObject): string => key.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');

/** SPKI DER prefix of an Ed25519 public key (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const publicKeyFromRaw = (raw: string): KeyObject =>
  createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(raw, 'base64')]), format: 'der', type: 'spki' });

/** Signs the next checkpoint of the series: it names `after` (the latest signed) as its predecessor. */
export const signCheckpoint = (
  key: LedgerSigningKey,
  fields: { treeSize: number; rootHash: string; issuedAt: string },
  after: Checkpoint | undefined,
): Checkpoint => {
  const unsigned = {
    ...fields,
    keyId: key.keyId,
    publicKey: rawPublicKey(key.publicKey),
    previous: after ? { treeSize: after.treeSize, hash: checkpointHash(after) } : null,
  };
  return { ...unsigned, signature: signText(key, checkpointText(unsigned)) };
};

/** True when the signature is the given key's over exactly these fields (and a v2 checkpoint names that key). */
export const checkpointSignatureValid = (checkpoint: Checkpoint, publicKey: KeyObject): boolean =>
  (!inSeries(checkpoint) || checkpoint.publicKey === rawPublicKey(publicKey)) &&
  textSignatureValid(checkpointText(checkpoint), checkpoint.signature, publicKey);

/** The key a checkpoint says signed it, when it carries one (v2) that matches its key id. */
export const checkpointKey = (checkpoint: Checkpoint, keyIdOf: (key: KeyObject) => string): KeyObject | undefined => {
  if (!inSeries(checkpoint)) return undefined;
  try {
    const key = publicKeyFromRaw(checkpoint.publicKey);
    return keyIdOf(key) === checkpoint.keyId ? key : undefined;
  } catch {
    return undefined;
  }
};
