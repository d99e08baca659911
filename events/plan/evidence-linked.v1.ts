import { z } from 'zod';
import { Target, Text } from './common.ts';

/** The fields without the cross-field rule, so the API can derive its body schema from them. */
export const EvidenceLinkedFields = z
  .object({
    target: Target,
    title: Text.max(500),
    uri: z.url().max(2000).optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lowercase hex digits')
      .optional(),
    description: Text.optional(),
  })
  .strict();

export const evidenceHasUriOrHash = (value: { uri?: string | undefined; sha256?: string | undefined }) =>
  value.uri !== undefined || value.sha256 !== undefined;
export const evidenceRule = { message: 'evidence needs a uri, a sha256 of the document, or both', path: ['uri'] };

export const EvidenceLinkedV1 = EvidenceLinkedFields.refine(evidenceHasUriOrHash, evidenceRule);
export type EvidenceLinked = z.infer<typeof EvidenceLinkedV1>;
