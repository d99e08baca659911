import { createHash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { referenceCanonicalJson } from './canonical-json.ts';
import { Checkpoint } from './checkpoint.ts';
import { KeyRotation } from './key-rotation.ts';
import { textSignatureValid } from './signed-text.ts';

/**
 * A read view signed by the ledger (`ledger view --signed`): what the ledger's software answered,
 * at which clocks, over which signed tree, for whom. The whole envelope but its signature is
 * hashed as RFC 8785 canonical JSON (with the `canonicalize` library, as an independent verifier
 * would), and the ledger signs that hash in three lines of its own: first line
 * `assurance-ledger view v1`, so a view's signature can never pass for a checkpoint's, a plan
 * head's or an evidence pack's, nor theirs for a view's. What a view is and how it is read is
 * the command line's business (src/cli/view-query.ts): here it is opaque JSON.
 */
export const VIEW_FORMAT = 'assurance-ledger/view/v1';
export const VIEW_SIGNATURE_ORIGIN = 'assurance-ledger view v1';

const KeyId = z.string().regex(/^[0-9a-f]{16}$/);
const Line = z
  .string()
  .min(1)
  .regex(/^[^\r\n]+$/);

export const SignedView = z
  .object({
    format: z.literal(VIEW_FORMAT),
    view: Line,
    subject: Line.nullable(),
    /** Every option that shaped the answer, the clocks as resolved (asOf always). */
    query: z.object({ asOf: z.iso.datetime({ offset: true }) }).catchall(z.string()),
    /** The last ledger position the answer includes, decimal; -1 when it includes none (before the first event). */
    position: z.string().regex(/^(-1|0|[1-9]\d*)$/),
    readAt: z.iso.datetime(),
    readBy: Line,
    /** The release of the software that read it. */
    release: Line,
    /** Exactly what `ledger view` writes without --signed. */
    answer: z.record(z.string(), z.unknown()),
    /** A checkpoint whose tree holds every event up to `position`. */
    checkpoint: Checkpoint,
    publicKey: z.object({ keyId: KeyId, pem: z.string().min(1) }).strict(),
    /** Every key rotation the ledger recorded within the checkpoint's tree, oldest first (empty when it never rotated). */
    keyHistory: z.array(KeyRotation),
    signature: z.object({ keyId: KeyId, signature: z.string().min(1).describe('Ed25519 signature of the view text, base64') }).strict(),
  })
  .strict();
export type SignedView = z.infer<typeof SignedView>;
export type UnsignedView = Omit<SignedView, 'signature'>;

/**
 * SHA-256 (lower hex) of the canonical JSON of the envelope without its signature. `envelope` is
 * read as JSON holds it: a member whose value is undefined has no JSON form and is left out, as
 * it is from the file.
 */
export const viewDigest = (envelope: Record<string, unknown>): string => {
  const { signature: _signature, ...unsigned } = envelope;
  return createHash('sha256').update(referenceCanonicalJson(unsigned), 'utf8').digest('hex');
};

/** The exact bytes signed: three lines, each ending in a newline. */
export const viewSignatureText = (keyId: string, digest: string): string => `${VIEW_SIGNATURE_ORIGIN}\n${keyId}\n${digest}\n`;

/**
 * Signs a view with the ledger's `signStatement` (ledger-integrity.ts), which signs only with the
 * key it holds: the key the envelope's `publicKey` names. The envelope is taken through JSON
 * first, so what is signed is what is written.
 */
export const signView = (unsigned: UnsignedView, signStatement: (text: string) => { keyId: string; signature: string }): SignedView => {
  const written = JSON.parse(JSON.stringify(unsigned)) as UnsignedView;
  const signature = signStatement(viewSignatureText(written.publicKey.keyId, viewDigest(written)));
  if (signature.keyId !== written.publicKey.keyId)
    throw new Error(`the view names key ${written.publicKey.keyId} but was signed by key ${signature.keyId}`);
  return { ...written, signature };
};

/** True when the view's signature is the key's over this very envelope (the key id it names included). */
export const viewSignatureValid = (envelope: Record<string, unknown>, signature: SignedView['signature'], publicKey: KeyObject): boolean =>
  textSignatureValid(viewSignatureText(signature.keyId, viewDigest(envelope)), signature.signature, publicKey);
