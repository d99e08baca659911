import canonicalize from 'canonicalize';
import { z } from 'zod';
import { Checkpoint } from '../integrity/checkpoint.ts';
import { signText, textSignatureValid } from '../integrity/signed-text.ts';
import { publicKeyFromPem, type LedgerSigningKey } from '../integrity/signing-key.ts';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'assurance-ledger/backup/v1';
/** The first line of the signed text: a manifest signature can never pass for a checkpoint's or a plan head's. */
const SIGNED_ORIGIN = 'assurance-ledger backup-manifest v1';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const BackupFile = z.object({ path: z.string().min(1), bytes: z.number().int().min(0), sha256: Sha256 }).strict();

const ChainHead = z.object({ stream: z.string(), revision: z.string().regex(/^\d+$/), hash: Sha256 }).strict();

/**
 * Where the ledger's signing key is: in the backup encrypted with a passphrase, or not in it
 * (then `keptAt` says where the service was reading it from, so a restore knows what to bring).
 */
const SigningKeyEntry = z
  .object({
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    publicKeyPem: z.string().min(1),
    included: z.enum(['encrypted', 'not-included']),
    file: z.string().optional(),
    keptAt: z.string().describe('Where the service read the key when the backup was taken'),
  })
  .strict();

/** A backup's manifest (manifest.json beside the `data/` folder), signed with the ledger's key. */
export const Manifest = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    createdAt: z.iso.datetime(),
    tool: z.object({ name: z.string(), version: z.string() }).strict(),
    backend: z.string(),
    source: z.object({ dataDir: z.string(), host: z.string() }).strict(),
    ledger: z
      .object({
        events: z.number().int().min(0),
        headPosition: z.string().regex(/^\d+$/).nullable(),
        latestCheckpoint: Checkpoint.nullable(),
        chainHeads: z.array(ChainHead),
      })
      .strict(),
    verification: z
      .object({
        ok: z.literal(true),
        at: z.iso.datetime(),
        eventsChecked: z.number(),
        streamsChecked: z.number(),
        checkpointsChecked: z.number(),
        rootHash: z.string().optional(),
      })
      .strict(),
    signingKey: SigningKeyEntry,
    files: z.array(BackupFile),
    signature: z.object({ keyId: z.string(), value: z.string().min(1) }).strict(),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;
export type UnsignedManifest = Omit<Manifest, 'signature'>;

/** The exact text signed: a header line, then the RFC 8785 canonical JSON of everything but the signature. */
const signedText = (manifest: UnsignedManifest): string => `${SIGNED_ORIGIN}\n${canonicalize(manifest)}\n`;

export const signManifest = (key: LedgerSigningKey, manifest: UnsignedManifest): Manifest => ({
  ...manifest,
  signature: { keyId: key.keyId, value: signText(key, signedText(manifest)) },
});

/** Whether the manifest is exactly as the holder of its public key signed it. */
export const manifestSignatureValid = (manifest: Manifest, publicKeyPem: string = manifest.signingKey.publicKeyPem): boolean => {
  const { signature, ...unsigned } = manifest;
  try {
    return textSignatureValid(signedText(unsigned), signature.value, publicKeyFromPem(publicKeyPem));
  } catch {
    return false;
  }
};
