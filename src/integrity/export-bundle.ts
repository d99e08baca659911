import { z } from 'zod';
import { Checkpoint } from './checkpoint.ts';
import { PlanHead } from './plan-head.ts';
import { KeyRotation } from './key-rotation.ts';

/**
 * A plan's history as a self-contained file: what an inquiry team verifies on its own laptop
 * with nothing but this file (and, ideally, the ledger's public key obtained separately).
 * docs/verification.md describes every field and how to check it by hand.
 */
const Hex32 = z.string().regex(/^[0-9a-f]{64}$/);
const Decimal = z.string().regex(/^(0|[1-9]\d*)$/);

/**
 * v2 added the signed plan head (a v1 bundle cannot prove where its plan ends, so it is not
 * read); v3 adds the ledger's key history, so a bundle signed by a newer key verifies against
 * an older key that endorsed it. A v2 bundle is still read.
 */
export const EXPORT_FORMAT = 'assurance-ledger/plan-export/v3';
const FORMATS = ['assurance-ledger/plan-export/v2', EXPORT_FORMAT] as const;

export const ExportedEvent = z
  .object({
    /** Place in the ledger's global order: the Merkle leaf index. */
    position: Decimal,
    /** Place in the plan's stream, from 0. */
    revision: Decimal,
    /** The chain hash of the previous revision (64 zeros for revision 0). */
    previousHash: Hex32,
    /** SHA-256 of JCS({ event, previousHash, revision, stream }). */
    hash: Hex32,
    /** The event exactly as stored: metadata and data. */
    event: z.record(z.string(), z.unknown()),
    /** RFC 9162 inclusion proof of leaf `position` in the checkpoint's tree, leaf side first. */
    inclusionProof: z.array(Hex32),
  })
  .strict();
export type ExportedEvent = z.infer<typeof ExportedEvent>;

export const ExportBundle = z
  .object({
    format: z.enum(FORMATS),
    exportedAt: z.iso.datetime(),
    planId: z.string().min(1),
    stream: z.string().min(1),
    /** The plan's last revision when exported: every revision 0..streamRevision is in `events`. */
    streamRevision: Decimal,
    publicKey: z.object({ keyId: z.string().regex(/^[0-9a-f]{16}$/), pem: z.string().min(1) }).strict(),
    checkpoint: Checkpoint,
    /** Signed by the ledger at export: where the plan ended in the checkpoint's tree. */
    planHead: PlanHead,
    events: z.array(ExportedEvent).min(1),
    /** Every key rotation the ledger recorded within the checkpoint's tree, oldest first (v3; empty when it never rotated). */
    keyHistory: z.array(KeyRotation).optional(),
  })
  .strict();
export type ExportBundle = z.infer<typeof ExportBundle>;
