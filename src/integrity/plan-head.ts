import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { signText, textSignatureValid } from './signed-text.ts';
import type { LedgerSigningKey } from './signing-key.ts';

/** One line of the signed text: no line breaks, so no field can pose as the next. */
const Line = z
  .string()
  .min(1)
  .regex(/^[^\r\n]+$/);

/**
 * The ledger's signed statement, made at export time, "plan P's stream S ended at revision R
 * with event hash H in the tree of N events". The checkpoint commits to the whole ledger but
 * not to where each plan ends; this does, so an exporter cannot drop a plan's newest events
 * and lower the unsigned `streamRevision` to hide it.
 */
export const PlanHead = z
  .object({
    planId: Line,
    stream: Line,
    lastRevision: z.string().regex(/^(0|[1-9]\d*)$/),
    lastEventHash: z.string().regex(/^[0-9a-f]{64}$/),
    treeSize: z.number().int().min(1),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    signature: z.string().min(1).describe('Ed25519 signature of the plan-head text, base64'),
  })
  .strict();
export type PlanHead = z.infer<typeof PlanHead>;

/** Its own first line, so a plan-head signature can never be taken for a checkpoint's, nor the reverse. */
export const PLAN_HEAD_ORIGIN = 'assurance-ledger plan-head v1';

/** The exact bytes signed: seven lines, each ending in a newline. */
export const planHeadText = (h: Omit<PlanHead, 'signature'>): string =>
  `${PLAN_HEAD_ORIGIN}\n${h.keyId}\n${h.planId}\n${h.stream}\n${h.lastRevision}\n${h.lastEventHash}\n${h.treeSize}\n`;

export const signPlanHead = (key: LedgerSigningKey, fields: Omit<PlanHead, 'signature' | 'keyId'>): PlanHead => {
  const unsigned = { ...PlanHead.omit({ signature: true, keyId: true }).parse(fields), keyId: key.keyId };
  return { ...unsigned, signature: signText(key, planHeadText(unsigned)) };
};

export const planHeadSignatureValid = (head: PlanHead, publicKey: KeyObject): boolean =>
  textSignatureValid(planHeadText(head), head.signature, publicKey);
