import { z } from 'zod';
import { Target, Text } from './common.ts';

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lowercase hex digits');

/**
 * A file as the ledger stored it: its content address, size and type, and the name it was
 * uploaded under. The name is data only (shown, offered as the download's name), never a path.
 */
export const EvidenceFile = z
  .object({
    sha256: Sha256,
    size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    mediaType: z
      .string()
      .max(100)
      .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'a media type such as application/pdf'),
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(255)
      // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name may not hold
      .regex(/^[^\u0000-\u001f\u007f]+$/, 'a file name has no control characters'),
  })
  .strict();
export type EvidenceFile = z.infer<typeof EvidenceFile>;

/**
 * A file uploaded as evidence for an action or a recommendation. Whoever uploaded it is the
 * event's actor; the file itself lives in the blob store under its sha256.
 */
export const EvidenceFileAttachedV1 = z
  .object({
    target: Target,
    title: Text.max(500),
    description: Text.optional(),
    file: EvidenceFile,
  })
  .strict();
export type EvidenceFileAttached = z.infer<typeof EvidenceFileAttachedV1>;
