import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { signText, textSignatureValid } from './signed-text.ts';
import type { LedgerSigningKey } from './signing-key.ts';

/**
 * A signed statement "the ledger's first treeSize events have this Merkle root", in the
 * spirit of C2SP tlog-checkpoint: the signature covers a small, line-based text that anyone
 * can rebuild from the fields, so verifying needs no JSON canonicalisation.
 */
export const Checkpoint = z
  .object({
    treeSize: z.number().int().min(1),
    rootHash: z.string().regex(/^[0-9a-f]{64}$/),
    issuedAt: z.iso.datetime(),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    signature: z.string().min(1).describe('Ed25519 signature of the checkpoint text, base64'),
  })
  .strict();
export type Checkpoint = z.infer<typeof Checkpoint>;

export const CHECKPOINT_ORIGIN = 'assurance-ledger checkpoint v1';

/** The exact bytes signed: five lines, each ending in a newline. */
export const checkpointText = (c: Omit<Checkpoint, 'signature'>): string =>
  `${CHECKPOINT_ORIGIN}\n${c.keyId}\n${c.treeSize}\n${c.rootHash}\n${c.issuedAt}\n`;

export const signCheckpoint = (key: LedgerSigningKey, fields: { treeSize: number; rootHash: string; issuedAt: string }): Checkpoint => {
  const unsigned = { ...fields, keyId: key.keyId };
  return { ...unsigned, signature: signText(key, checkpointText(unsigned)) };
};

/** True when the signature is the given key's over exactly these fields. */
export const checkpointSignatureValid = (checkpoint: Checkpoint, publicKey: KeyObject): boolean =>
  textSignatureValid(checkpointText(checkpoint), checkpoint.signature, publicKey);
