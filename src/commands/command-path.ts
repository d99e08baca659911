import { v7 as uuidv7 } from 'uuid';
import type { NewEvent } from '../../events/envelope.ts';
import { planStream } from '../../events/streams.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import { planDecider } from '../domain/plan/decider.ts';
import { refuseForbiddenCharacters } from '../domain/plan/texts.ts';
import type { Plan, PlanFact } from '../domain/plan/state.ts';
import { IdempotencyKeyReused, sameRequest, WrongExpectedRevision, type AppendResult, type EventStore } from '../store/port.ts';
import { BatchCommandRefused, PreconditionFailed, type BatchCommand, type BatchContext, type CommandContext } from './command-requests.ts';
import { createKeyedQueue } from './keyed-queue.ts';
import { toNewEvent, type EnvelopeContext } from './new-event.ts';
import { createPlanStateCache, foldPlan, type FoldedPlan } from './plan-state-cache.ts';
import { GENERATED_ID_FINGERPRINT, requestFingerprint } from './request-fingerprint.ts';
import { retryOnConflict } from './retry-on-conflict.ts';

export interface CommandPathDeps {
  store: EventStore;
  /** The server clock: recordedAt and "today" come from here and never from the client. */
  clock?: () => Date;
  newEventId?: () => string;
  /** How long a write retries after other processes' appends won the race (default: CONFLICT_RETRY_BUDGET_MS). */
  conflictRetryMs?: number;
}

/** What the revision read must be: the latest (retried on conflict), the caller's If-Match, or the one a batch was planned against. */
type Expected = { kind: 'latest' } | { kind: 'if-match'; revision: bigint } | { kind: 'planned-against'; revision: bigint | undefined };

type Authorise = ((command: PlanCommand, plan: Plan) => void) | undefined;

/**
 * The one path every write takes, for a single command and for a batch alike: in the plan's
 * queue, look up an earlier result of the command id, then read the stream (from the plan
 * state cache), decide every command against the state the earlier ones left, and append
 * all their events with the revision read. A single command is a batch of one with its own
 * idempotency and authorisation rules; both share the fold, the cache, the retry and the fingerprint.
 */
export const createCommandPath = ({ store, clock = () => new Date(), newEventId = uuidv7, conflictRetryMs }: CommandPathDeps) => {
  const states = createPlanStateCache(store);
  const serialise = createKeyedQueue();
  const { decide, evolve } = planDecider;

  /** Authorises and decides each item against the state the earlier ones left, evolving `plan` in place. */
  const decideAll = (
    stream: string,
    plan: FoldedPlan,
    items: readonly BatchCommand[],
    envelope: Omit<EnvelopeContext, 'provenance'>,
    authorise: Authorise,
  ): NewEvent[] => {
    const now = clock().toISOString();
    const events: NewEvent[] = [];
    try {
      items.forEach((item, index) => {
        // A refusal is the caller's (403), not the command's: it is not wrapped as a refused command.
        authorise?.(item.command, plan.state);
        try {
          // Who recorded it and from where go into every event's hashed envelope, as the data does.
          refuseForbiddenCharacters({ actor: envelope.actor, provenance: item.provenance });
          for (const decided of decide({ ...item.command, now, effectiveOn: item.effectiveOn }, plan.state)) {
            const event = toNewEvent(decided, { ...envelope, provenance: item.provenance }, now, newEventId());
            events.push(event);
            // Folded with the data as stored (trimmed, defaults filled): what a later fold of the stream will read.
            plan.state = evolve(plan.state, { ...decided, data: event.data, eventId: event.eventId } as PlanFact);
          }
        } catch (error) {
          throw new BatchCommandRefused(index, item, error);
        }
      });
    } catch (error) {
      // The state has seen events that will not be written: fold it afresh next time.
      if (events.length > 0) states.forget(stream);
      throw error;
    }
    return events;
  };

  /** The one retry loop: another process's append between our read and our write is retried, within a time budget. */
  const decideAndAppend = (
    stream: string,
    items: readonly BatchCommand[],
    envelope: Omit<EnvelopeContext, 'provenance'>,
    fingerprint: string,
    expected: Expected,
    authorise: Authorise,
    loaded?: FoldedPlan,
    beforeAppend?: () => Promise<void>,
  ): Promise<AppendResult> =>
    retryOnConflict(
      async (attempt) => {
        // The first attempt uses the plan just loaded; a retry reads what the other process wrote.
        const plan = attempt === 1 && loaded ? loaded : await states.load(stream);
        const revision = plan.revision;
        if (expected.kind === 'if-match' && expected.revision !== revision) throw new PreconditionFailed(expected.revision, revision);
        if (expected.kind === 'planned-against' && expected.revision !== revision)
          throw new WrongExpectedRevision(stream, expected.revision ?? 'noStream', revision);
        const events = decideAll(stream, plan, items, envelope, authorise);
        try {
          await beforeAppend?.();
          const expectedRevision = revision ?? 'noStream';
          const result = await store.append({
            stream,
            events,
            expectedRevision,
            commandId: envelope.commandId,
            requestFingerprint: fingerprint,
            // Recorded when written: the evidence file above, or another process's write lock, may have kept it waiting.
            clock,
          });
          // Replayed: another process recorded this command id first, and our events were not written.
          if (result.replayed) states.forget(stream);
          else plan.revision = result.nextExpectedRevision;
          return result;
        } catch (error) {
          states.forget(stream);
          if (error instanceof WrongExpectedRevision && expected.kind === 'if-match')
            throw new PreconditionFailed(expected.revision, error.actual);
          throw error;
        }
      },
      (error) => error instanceof WrongExpectedRevision && expected.kind === 'latest',
      conflictRetryMs,
    );

  /** One command: authorised before its id is looked up, so a refused caller learns nothing of an earlier result. */
  const handle = (planId: string, command: PlanCommand, ctx: CommandContext): Promise<AppendResult> => {
    const stream = planStream(planId);
    return serialise(stream, async () => {
      const plan = await states.load(stream);
      ctx.authorise?.(plan.state);
      // Looked up inside the queue: a retry of a command still in flight must see its first result, not a rule broken by it.
      // A generated id gets a marker no request fingerprint equals: commandIds are visible in
      // the events, and a later request sending one as its Idempotency-Key must not match.
      const fingerprint = ctx.freshCommandId
        ? GENERATED_ID_FINGERPRINT
        : requestFingerprint({ kind: 'command', actorId: ctx.actor.id, planId, command, effectiveOn: ctx.effectiveOn });
      const earlier = ctx.freshCommandId ? undefined : await store.findCommand(ctx.commandId);
      if (earlier) {
        if (!sameRequest(earlier, stream, fingerprint)) throw new IdempotencyKeyReused(ctx.commandId);
        return earlier;
      }
      const expected: Expected =
        ctx.ifMatchRevision === undefined ? { kind: 'latest' } : { kind: 'if-match', revision: ctx.ifMatchRevision };
      const authorise: Authorise = ctx.authorise && ((_, state) => ctx.authorise!(state));
      const item = { command, effectiveOn: ctx.effectiveOn, provenance: ctx.provenance };
      try {
        return await decideAndAppend(stream, [item], ctx, fingerprint, expected, authorise, plan, ctx.beforeAppend);
      } catch (error) {
        // A single command's refusal is the decider's own error, as the API reports it.
        throw error instanceof BatchCommandRefused ? error.cause : error;
      }
    });
  };

  /**
   * Many commands on one plan, decided in order by the same decider as single commands and
   * appended in one atomic append: all of them or none. Imports use it so a 60,000-fact plan
   * is one transaction instead of 60,000; there is no other way in.
   */
  const handleBatch = (planId: string, items: BatchCommand[], ctx: BatchContext): Promise<AppendResult | undefined> => {
    if (items.length === 0) return Promise.resolve(undefined);
    const stream = planStream(planId);
    const envelope = { actor: ctx.actor, commandId: ctx.commandId, correlationId: ctx.correlationId };
    return serialise(stream, async () => {
      if (ctx.dryRun) {
        decideAll(stream, await foldPlan(store, stream), items, envelope, ctx.authorise);
        return undefined;
      }
      const fingerprint = requestFingerprint({ kind: 'batch', stream, items });
      const earlier = await store.findCommand(ctx.commandId);
      if (earlier) {
        if (!sameRequest(earlier, stream, fingerprint)) throw new IdempotencyKeyReused(ctx.commandId);
        // Authorised against the plan it was first decided on, so a caller who may not run it learns nothing of it.
        if (ctx.authorise) {
          const before = earlier.nextExpectedRevision - BigInt(earlier.eventIds.length) + 1n;
          decideAll(stream, await foldPlan(store, stream, { before }), items, envelope, ctx.authorise);
        }
        return earlier;
      }
      const expected: Expected = ctx.plannedAgainst
        ? { kind: 'planned-against', revision: ctx.plannedAgainst.revision }
        : { kind: 'latest' };
      return decideAndAppend(stream, items, envelope, fingerprint, expected, ctx.authorise);
    });
  };

  return { handle, handleBatch };
};
export type CommandPath = ReturnType<typeof createCommandPath>;
export type CommandHandler = CommandPath['handle'];
export type BatchHandler = CommandPath['handleBatch'];

/** For code that writes only single commands (its own cache and queue). */
export const createCommandHandler = (deps: CommandPathDeps): CommandHandler => createCommandPath(deps).handle;

/** For code that writes only batches, such as an import from the CLI (its own cache and queue). */
export const createBatchHandler = (deps: CommandPathDeps): BatchHandler => createCommandPath(deps).handleBatch;
