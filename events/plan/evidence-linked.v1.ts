import { z } from 'zod';
import { Target, Text } from './common.ts';

export const EvidenceLinkedV1 = z
  .object({
    target: Target,
    title: Text.max(500),
    uri: z.url().max(2000).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lowercase hex digits').optional(),
    description: Text.optional(),
  })
  .strict()
  .refine((value) => value.uri !== undefined || value.sha256 !== undefined, {
    message: 'evidence needs a uri, a sha256 of the document, or both',
    path: ['uri'],
  });
export type EvidenceLinked = z.infer<typeof EvidenceLinkedV1>;
