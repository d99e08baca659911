import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { signText, textSignatureValid } from '../../integrity/signed-text.ts';
import type { LedgerSigningKey } from '../../integrity/signing-key.ts';

/**
 * What makes every file of an evidence pack the ledger's word: `SHA256SUMS` lists each file's
 * SHA-256 (the format `sha256sum -c` reads), and the ledger signs the hash of that list, with the
 * plan and the checkpoint the pack stands on, in five lines of its own (first line
 * `assurance-ledger evidence-pack v1`, so it can never pass for a checkpoint or a plan head). An
 * edited index.html, a replaced file or an added one no longer matches what was signed.
 */
export const PACK_SIGNATURE_ORIGIN = 'assurance-ledger evidence-pack v1';
export const SUMS_FILE = 'SHA256SUMS';
export const SIGNATURE_FILE = 'SHA256SUMS.sig.json';

export const PackSignature = z
  .object({
    format: z.literal('assurance-ledger/evidence-pack-signature/v1'),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    planId: z.string().regex(/^[^\r\n]+$/),
    treeSize: z.number().int().min(1),
    sumsSha256: z.string().regex(/^[0-9a-f]{64}$/),
    signature: z.string().min(1).describe('Ed25519 signature of the evidence-pack text, base64'),
  })
  .strict();
export type PackSignature = z.infer<typeof PackSignature>;

/** The exact bytes signed: five lines, each ending in a newline. */
export const packSignatureText = (s: Omit<PackSignature, 'signature' | 'format'>): string =>
  `${PACK_SIGNATURE_ORIGIN}\n${s.keyId}\n${s.planId}\n${s.treeSize}\n${s.sumsSha256}\n`;

export const signPack = (key: LedgerSigningKey, fields: { planId: string; treeSize: number; sumsSha256: string }): PackSignature => {
  const unsigned = { ...fields, keyId: key.keyId };
  return { format: 'assurance-ledger/evidence-pack-signature/v1', ...unsigned, signature: signText(key, packSignatureText(unsigned)) };
};

export const packSignatureValid = (s: PackSignature, publicKey: KeyObject): boolean =>
  textSignatureValid(packSignatureText(s), s.signature, publicKey);

/** `sha256sum` format: "<hash>  <path>" per line, in the order given. */
export const sumsText = (files: { path: string; sha256: string }[]): string => files.map((f) => `${f.sha256}  ${f.path}\n`).join('');

/** The lines of a SHA256SUMS file; undefined when one is not "<64 hex>  <path>". */
export const parseSums = (text: string): { path: string; sha256: string }[] | undefined => {
  const files = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) return undefined;
    files.push({ sha256: m[1]!, path: m[2]! });
  }
  return files;
};
