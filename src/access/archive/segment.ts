import canonicalize from 'canonicalize';
import { createHash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { signText, textSignatureValid } from '../../integrity/signed-text.ts';
import type { LedgerSigningKey } from '../../integrity/signing-key.ts';
import type { LoggedAccess } from '../port.ts';

/**
 * An archived period of the access log: a JSON Lines file, a header line, one line per entry,
 * and a signed footer. Entries are hash-chained across the whole archive: each entry's hash is
 * SHA-256 over the previous hash, a newline and the entry's RFC 8785 canonical JSON; a
 * segment's chain starts from the previous segment's final hash. The footer is signed with the
 * ledger key over the period, the id range, the count and both ends of the chain, so a segment
 * with an entry removed, changed or reordered, or a segment left out of the series, is found by
 * `ledger access-log verify`, and no one without the key can re-sign an edited one.
 */
export const SEGMENT_FORMAT = 'assurance-ledger/access-log-segment/v1';
export const GENESIS = '0'.repeat(64);
const SIGNED_ORIGIN = 'assurance-ledger access-log-segment v1';

export const SegmentHeader = z
  .object({
    format: z.literal(SEGMENT_FORMAT),
    period: z.string(),
    firstId: z.number().int(),
    lastId: z.number().int(),
    previousHash: z.string(),
  })
  .strict();
export const SegmentFooter = z
  .object({
    count: z.number().int(),
    finalHash: z.string(),
    archivedAt: z.string(),
    archivedBy: z.string(),
    keyId: z.string(),
    signature: z.string(),
  })
  .strict();
export type SegmentHeader = z.infer<typeof SegmentHeader>;
export type SegmentFooter = z.infer<typeof SegmentFooter>;

export const chainHash = (previous: string, entry: LoggedAccess): string =>
  createHash('sha256')
    .update(`${previous}\n${canonicalize(entry)}`)
    .digest('hex');

const signedText = (h: SegmentHeader, f: Pick<SegmentFooter, 'count' | 'finalHash' | 'keyId'>) =>
  `${SIGNED_ORIGIN}\n${f.keyId}\n${h.period}\n${h.firstId}\n${h.lastId}\n${f.count}\n${h.previousHash}\n${f.finalHash}\n`;

export const signFooter = (
  key: LedgerSigningKey,
  header: SegmentHeader,
  fields: { count: number; finalHash: string; archivedAt: string; archivedBy: string },
): SegmentFooter => ({ ...fields, keyId: key.keyId, signature: signText(key, signedText(header, { ...fields, keyId: key.keyId })) });

export const footerSignatureValid = (header: SegmentHeader, footer: SegmentFooter, publicKey: KeyObject): boolean =>
  textSignatureValid(signedText(header, footer), footer.signature, publicKey);

/** What a segment file says and whether it holds together on its own (its chain, ids, count, signature). */
export type SegmentCheck =
  | { ok: true; header: SegmentHeader; footer: SegmentFooter }
  | { ok: false; problem: string; header?: SegmentHeader; footer?: SegmentFooter };

export const checkSegmentText = (text: string, publicKey: KeyObject): SegmentCheck => {
  const lines = text.split('\n').filter((line) => line.length > 0);
  let header: SegmentHeader;
  let footer: SegmentFooter;
  try {
    header = SegmentHeader.parse(JSON.parse(lines[0] ?? ''));
    footer = SegmentFooter.parse(JSON.parse(lines.at(-1) ?? ''));
  } catch (error) {
    return { ok: false, problem: `not a segment file: ${(error as Error).message.split('\n')[0]}` };
  }
  if (!footerSignatureValid(header, footer, publicKey))
    return { ok: false, header, footer, problem: 'its footer is not signed by the ledger key, or the header or footer was edited' };
  let hash = header.previousHash;
  let expectedId = header.firstId;
  const body = lines.slice(1, -1);
  for (const [i, line] of body.entries()) {
    const { entry, hash: stored } = JSON.parse(line) as { entry: LoggedAccess; hash: string };
    if (entry.id !== expectedId)
      return {
        ok: false,
        header,
        footer,
        problem: `line ${i + 2} is entry ${entry.id}; entry ${expectedId} was expected: an entry is missing or out of order`,
      };
    hash = chainHash(hash, entry);
    if (hash !== stored)
      return { ok: false, header, footer, problem: `entry ${entry.id} (line ${i + 2}) was changed: its chain hash does not match` };
    expectedId++;
  }
  if (body.length !== footer.count || expectedId - 1 !== header.lastId)
    return {
      ok: false,
      header,
      footer,
      problem: `it holds ${body.length} entries up to id ${expectedId - 1}; it was signed for ${footer.count} up to ${header.lastId}`,
    };
  if (hash !== footer.finalHash) return { ok: false, header, footer, problem: 'its entries do not end at the signed final hash' };
  return { ok: true, header, footer };
};
