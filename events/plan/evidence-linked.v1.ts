import { z } from 'zod';
import { Target, Text } from './common.ts';

/**
 * Where the evidence is: a web address, or a URN naming a document (urn:isbn:…, urn:nbn:…)
 * for evidence that is not online. Nothing else: the link is shown to auditors, and schemes
 * such as javascript:, data: and file: run code in, or reach into, the reader's machine.
 */
export const EvidenceUri = z
  .url()
  .max(2000)
  .regex(
    /^(?:https?:\/\/[^\s/?#@]+(?:[/?#]|$)|urn:[a-z0-9][a-z0-9-]{0,31}:\S+)/i,
    'an evidence uri is an https:// or http:// address, or a urn: such as urn:isbn:…',
  );

/** The fields without the cross-field rule, so the API can derive its body schema from them. */
export const EvidenceLinkedFields = z
  .object({
    target: Target,
    title: Text.max(500),
    uri: EvidenceUri.optional(),
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
