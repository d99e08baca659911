import type { IntegrityFailure } from '../integrity/verify-report.ts';

/**
 * Why `ledger copy` stopped without carrying more over. Every refusal happens before the
 * offending event or checkpoint reaches the target, except where the kind says the target
 * itself answered wrongly.
 */
export type CopyRefusalKind =
  /** The target holds another ledger, or more events than the source. */
  | 'target-not-a-copy'
  /** The source fails verification (chains, tree, signed checkpoints): nothing of it is copied. */
  | 'source-fails-verification'
  /** A source event no longer matches its chain hash, or its stream skips a revision. */
  | 'source-event-altered'
  /** A source event's command result does not describe the events the ledger holds for it. */
  | 'source-command-inconsistent'
  /** A source event's recordedAt is earlier than the one before it: the target would record it later, with another hash. */
  | 'source-time-decreases'
  /** The source's events no longer reproduce the root one of its checkpoints signed, or a checkpoint's signature fails. */
  | 'source-checkpoint-mismatch'
  /** The target answered an append, a hash or a checkpoint differently from the source: something else writes to it. */
  | 'target-diverged'
  /** The finished copy does not verify against the source. */
  | 'verification-failed';

export class CopyRefused extends Error {
  constructor(
    readonly kind: CopyRefusalKind,
    message: string,
    /** Where it shows, when one place does: the ledger position. */
    readonly position?: bigint,
  ) {
    super(message);
  }
}

/** A verify failure in one line, with where it shows. */
export const describeFailure = (failure: IntegrityFailure): string => {
  const where = [
    failure.position === undefined ? undefined : `position ${failure.position}`,
    failure.stream === undefined ? undefined : `stream ${failure.stream}`,
    failure.revision === undefined ? undefined : `revision ${failure.revision}`,
  ].filter(Boolean);
  return where.length > 0 ? `${failure.message} (${where.join(', ')})` : failure.message;
};
