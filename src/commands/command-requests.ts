import type { Actor, Provenance } from '../../events/envelope.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import type { Plan } from '../domain/plan/state.ts';

/** One command from an API request or the CLI. */
export interface CommandContext {
  actor: Actor;
  /** The caller's Idempotency-Key, or a fresh id: a repeated id returns the first result and writes nothing. */
  commandId: string;
  /** True when commandId was generated just now, so no earlier result can exist and the lookup is skipped. */
  freshCommandId?: boolean | undefined;
  correlationId: string;
  causationId?: string | undefined;
  provenance: Provenance;
  /** The plan revision the caller last saw (If-Match); a different current revision fails with 412. */
  ifMatchRevision?: bigint | undefined;
  effectiveOn?: string | undefined;
  /**
   * Checks the caller may run this command on the plan as it stands; throws to refuse.
   * Runs in the plan's queue before the idempotency replay and before decide, so a
   * refused caller neither writes nor learns another caller's earlier result.
   */
  authorise?: ((plan: Plan) => void) | undefined;
}

/** One command of a batch, with its own business date and provenance (an import names the line of each fact). */
export interface BatchCommand {
  command: PlanCommand;
  effectiveOn?: string | undefined;
  provenance: Provenance;
}

/** Many commands on one plan, written all together or not at all: how an import writes a document. */
export interface BatchContext {
  actor: Actor;
  /** Idempotency for the whole batch: a repeated id writes nothing and returns the first result. */
  commandId: string;
  correlationId: string;
  /**
   * The plan revision the batch was planned against (undefined: the plan did not exist).
   * When given, a plan that moved on fails with WrongExpectedRevision instead of being
   * retried, so the caller can plan again against what is there now.
   */
  plannedAgainst?: { revision: bigint | undefined } | undefined;
  /**
   * Checks the caller may run each command on the plan as the earlier commands of the
   * batch left it; throws to refuse, and then nothing of the batch is written. The same
   * check single commands get (see CommandContext.authorise), so an import can do no more
   * than its caller could do one command at a time.
   */
  authorise?: ((command: PlanCommand, plan: Plan) => void) | undefined;
  /** Decide and authorise every command, refusing as a real batch would, but write nothing (returns undefined). */
  dryRun?: boolean | undefined;
}

/** If-Match named a revision the plan is no longer (or not yet) at: 412, with the current revision. */
export class PreconditionFailed extends Error {
  constructor(
    readonly expected: bigint,
    readonly actual: bigint | undefined,
  ) {
    super(`If-Match revision ${expected} does not match the plan's current revision ${actual ?? 'none'}`);
  }
}

/** A command of a batch was refused by the decider; nothing of the batch was written. */
export class BatchCommandRefused extends Error {
  constructor(
    readonly index: number,
    readonly item: BatchCommand,
    override readonly cause: unknown,
  ) {
    super(`command ${index + 1} (${item.command.type}) was refused: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
