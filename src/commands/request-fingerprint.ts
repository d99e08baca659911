import type { Provenance } from '../../events/envelope.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import { canonicalJson } from '../integrity/canonical-json.ts';
import { sha256Hex } from '../integrity/event-hash.ts';

/**
 * What a write asked for, as a digest kept with its command id, so a retry of the same
 * request replays its first result and anything else sent with that id is refused.
 *
 * - A single command is bound to who asked, of which plan, what, and for which business
 *   date: a client reusing an Idempotency-Key for something else, or another caller who
 *   happens to pick the same key, is refused rather than handed the first result.
 * - A batch (an import) is bound to the plan and exactly what it asks for, not to the
 *   caller: the same file imported again by anyone is a replay ("already imported").
 *
 * The two shapes hash different objects, so no command digest can equal a batch digest.
 * Their canonical JSON must never change: ledgers hold digests computed from it.
 */
export type FingerprintedRequest =
  | { kind: 'command'; actorId: string; planId: string; command: PlanCommand; effectiveOn: string | undefined }
  | {
      kind: 'batch';
      stream: string;
      items: readonly { command: PlanCommand; effectiveOn?: string | undefined; provenance: Provenance }[];
    };

export const requestFingerprint = (request: FingerprintedRequest): string =>
  sha256Hex(
    canonicalJson(
      request.kind === 'command'
        ? { actor: request.actorId, planId: request.planId, command: request.command, effectiveOn: request.effectiveOn ?? null }
        : { batch: request.stream, items: request.items },
    ),
  );

/** Recorded for a command whose id the server generated; no digest (64 hex digits) can equal it. */
export const GENERATED_ID_FINGERPRINT = 'server-generated-id';
