import { v7 as uuidv7 } from 'uuid';
import type { Actor, NewEvent, Provenance } from '../../events/envelope.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import { decide } from '../domain/plan/decide.ts';
import type { Plan } from '../domain/plan/state.ts';
import { IdempotencyKeyReused, sameRequest, WrongExpectedRevision, type AppendResult, type EventStore } from '../store/port.ts';
import { createKeyedQueue } from './keyed-queue.ts';
import { toNewEvent } from './new-event.ts';
import { createPlanStateCache } from './plan-state-cache.ts';
import { GENERATED_ID_FINGERPRINT, requestFingerprint } from './request-fingerprint.ts';

type CachedPlan = { state: Plan; revision: bigint | undefined };
import { planStream } from './plan-stream.ts';

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

export class PreconditionFailed extends Error {
  constructor(
    readonly expected: bigint,
    readonly actual: bigint | undefined,
  ) {
    super(`If-Match revision ${expected} does not match the plan's current revision ${actual ?? 'none'}`);
  }
}

export interface CommandHandlerDeps {
  store: EventStore;
  /** The server clock: recordedAt and "today" come from here and never from the client. */
  clock?: () => Date;
  newEventId?: () => string;
}

/** Retries when another process appended between our read and our write; in-process writers are already serialised. */
const MAX_ATTEMPTS = 5;

/** The generic handler: read the stream, fold, decide, append with the revision read. */
export const createCommandHandler = ({ store, clock = () => new Date(), newEventId = uuidv7 }: CommandHandlerDeps) => {
  const states = createPlanStateCache(store);
  const serialise = createKeyedQueue();

  const attempt = async (
    stream: string,
    command: PlanCommand,
    ctx: CommandContext,
    fingerprint: string | undefined,
    loaded?: CachedPlan,
  ): Promise<AppendResult> => {
    const { state, revision } = loaded ?? (await states.load(stream));
    // Again on every attempt: a retry may see a plan another process has changed meanwhile.
    ctx.authorise?.(state);
    if (ctx.ifMatchRevision !== undefined && ctx.ifMatchRevision !== revision) throw new PreconditionFailed(ctx.ifMatchRevision, revision);
    const now = clock().toISOString();
    const decided = decide({ ...command, now, effectiveOn: ctx.effectiveOn }, state);
    const events: NewEvent[] = decided.map((e) => toNewEvent(e, ctx, now, newEventId()));
    const result = await store.append({
      stream,
      events,
      expectedRevision: revision ?? 'noStream',
      commandId: ctx.commandId,
      requestFingerprint: fingerprint,
    });
    if (!result.replayed) {
      const first = revision === undefined ? 0n : revision + 1n;
      states.record(
        stream,
        events.map((event, i) => ({ ...event, stream, revision: first + BigInt(i), position: result.firstPosition + BigInt(i) })),
      );
    }
    return result;
  };

  return async (planId: string, command: PlanCommand, ctx: CommandContext): Promise<AppendResult> => {
    const stream = planStream(planId);
    return serialise(stream, async () => {
      const loaded = await states.load(stream);
      ctx.authorise?.(loaded.state);
      // Checked inside the queue: a retry of a command still in flight must see its first result, not a rule broken by it.
      // A generated id gets a marker no request fingerprint equals: commandIds are visible in
      // the events, and a later request sending one as its Idempotency-Key must not match.
      const fingerprint = ctx.freshCommandId
        ? GENERATED_ID_FINGERPRINT
        : requestFingerprint(ctx.actor.id, planId, command, ctx.effectiveOn);
      const earlier = ctx.freshCommandId ? undefined : await store.findCommand(ctx.commandId);
      if (earlier) {
        if (!sameRequest(earlier, stream, fingerprint)) throw new IdempotencyKeyReused(ctx.commandId);
        return earlier;
      }
      for (let n = 1; ; n++) {
        try {
          // The first attempt uses the state just loaded; a retry reloads what another process wrote.
          return await attempt(stream, command, ctx, fingerprint, n === 1 ? loaded : undefined);
        } catch (error) {
          if (!(error instanceof WrongExpectedRevision)) throw error;
          states.forget(stream);
          if (ctx.ifMatchRevision !== undefined) throw new PreconditionFailed(ctx.ifMatchRevision, error.actual);
          if (n >= MAX_ATTEMPTS) throw error;
        }
      }
    });
  };
};
export type CommandHandler = ReturnType<typeof createCommandHandler>;
