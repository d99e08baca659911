import { v7 as uuidv7 } from 'uuid';
import type { Actor, NewEvent, Provenance } from '../../events/envelope.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import { decide } from '../domain/plan/decide.ts';
import { evolve } from '../domain/plan/evolve.ts';
import { initialState, type Plan, type PlanFact } from '../domain/plan/state.ts';
import { IdempotencyKeyReused, sameRequest, WrongExpectedRevision, type AppendResult, type EventStore } from '../store/port.ts';
import { canonicalJson } from '../integrity/canonical-json.ts';
import { sha256Hex } from '../integrity/event-hash.ts';
import { toNewEvent } from './new-event.ts';
import { planStream, toPlanFact } from './plan-stream.ts';

/**
 * A batch's fingerprint: the plan and exactly what it asks for. Not the caller: the same
 * file imported again by anyone is a replay ("already imported"), and an import id must
 * never answer a different request that reuses it, nor be answered by one.
 */
const batchFingerprint = (stream: string, items: BatchCommand[]): string => sha256Hex(canonicalJson({ batch: stream, items }));

/** One command of a batch, with its own business date and provenance (an import names the line of each fact). */
export interface BatchCommand {
  command: PlanCommand;
  effectiveOn?: string | undefined;
  provenance: Provenance;
}

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

/** A command of the batch was refused by the decider; nothing of the batch was written. */
export class BatchCommandRefused extends Error {
  constructor(
    readonly index: number,
    readonly item: BatchCommand,
    override readonly cause: unknown,
  ) {
    super(`command ${index + 1} (${item.command.type}) was refused: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const MAX_ATTEMPTS = 5;

/** The plan as its stream stands, or as it stood before revision `before` (the state a recorded batch was decided against). */
const fold = async (store: EventStore, stream: string, before?: bigint): Promise<{ state: Plan; revision: bigint | undefined }> => {
  let state = initialState();
  let revision: bigint | undefined;
  for await (const event of store.readStream(stream)) {
    if (before !== undefined && event.revision >= before) break;
    state = evolve(state, toPlanFact(event));
    revision = event.revision;
  }
  return { state, revision };
};

/**
 * Many commands on one plan, decided in order by the same decider as single commands,
 * each against the state the earlier ones produced, and appended in one atomic append
 * with the revision read: all of them or none. Imports use it so a 60,000-fact plan is
 * one transaction instead of 60,000; there is no other way in.
 */
export const createBatchHandler = ({
  store,
  clock = () => new Date(),
  newEventId = uuidv7,
}: {
  store: EventStore;
  clock?: () => Date;
  newEventId?: () => string;
}) => {
  /** Authorises and decides every item in order, each against the state the earlier ones produced. */
  const decideAll = (state: Plan, items: BatchCommand[], ctx: BatchContext, now: string): NewEvent[] => {
    const events: NewEvent[] = [];
    items.forEach((item, index) => {
      // A refusal is the caller's (403), not the document's: it is not wrapped as a refused command.
      ctx.authorise?.(item.command, state);
      try {
        for (const decided of decide({ ...item.command, now, effectiveOn: item.effectiveOn }, state)) {
          const event = toNewEvent(decided, { ...ctx, provenance: item.provenance }, now, newEventId());
          events.push(event);
          const fact = { type: event.type, data: event.data, eventId: event.eventId, effectiveOn: event.effectiveOn.date } as PlanFact;
          state = evolve(state, fact);
        }
      } catch (error) {
        throw new BatchCommandRefused(index, item, error);
      }
    });
    return events;
  };

  const attempt = async (stream: string, items: BatchCommand[], ctx: BatchContext): Promise<AppendResult> => {
    const folded = await fold(store, stream);
    if (ctx.plannedAgainst && folded.revision !== ctx.plannedAgainst.revision)
      throw new WrongExpectedRevision(stream, ctx.plannedAgainst.revision ?? 'noStream', folded.revision);
    const events = decideAll(folded.state, items, ctx, clock().toISOString());
    return store.append({
      stream,
      events,
      expectedRevision: folded.revision ?? 'noStream',
      commandId: ctx.commandId,
      requestFingerprint: batchFingerprint(stream, items),
    });
  };

  /** A replayed batch is authorised against the plan it was first decided on, so a caller who may not run it learns nothing of it. */
  const authoriseReplay = async (stream: string, items: BatchCommand[], ctx: BatchContext, earlier: AppendResult) => {
    const firstRevision = earlier.nextExpectedRevision - BigInt(earlier.eventIds.length) + 1n;
    const { state } = await fold(store, stream, firstRevision);
    decideAll(state, items, ctx, clock().toISOString());
  };

  return async (planId: string, items: BatchCommand[], ctx: BatchContext): Promise<AppendResult | undefined> => {
    if (items.length === 0) return undefined;
    const stream = planStream(planId);
    if (ctx.dryRun) {
      decideAll((await fold(store, stream)).state, items, ctx, clock().toISOString());
      return undefined;
    }
    const earlier = await store.findCommand(ctx.commandId);
    if (earlier) {
      if (!sameRequest(earlier, stream, batchFingerprint(stream, items))) throw new IdempotencyKeyReused(ctx.commandId);
      if (ctx.authorise) await authoriseReplay(stream, items, ctx, earlier);
      return earlier;
    }
    for (let n = 1; ; n++) {
      try {
        return await attempt(stream, items, ctx);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision) || ctx.plannedAgainst || n >= MAX_ATTEMPTS) throw error;
      }
    }
  };
};
export type BatchHandler = ReturnType<typeof createBatchHandler>;
