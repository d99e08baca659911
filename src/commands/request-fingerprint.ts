import { canonicalJson } from '../integrity/canonical-json.ts';
import { sha256Hex } from '../integrity/event-hash.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';

/**
 * What a command asked for, as a digest kept with its id: who asked, of which plan, what,
 * and for which business date. A retry of the same request has the same fingerprint; a
 * client that reuses an Idempotency-Key for something else, or another caller who happens
 * to pick the same key, does not, and is refused rather than handed the first result.
 */
export const requestFingerprint = (actorId: string, planId: string, command: PlanCommand, effectiveOn: string | undefined): string =>
  sha256Hex(canonicalJson({ actor: actorId, planId, command, effectiveOn: effectiveOn ?? null }));

/** Recorded for a command whose id the server generated; no digest (64 hex digits) can equal it. */
export const GENERATED_ID_FINGERPRINT = 'server-generated-id';
