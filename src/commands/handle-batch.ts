import { v7 as uuidv7 } from 'uuid';
import type { Actor, NewEvent, Provenance } from '../../events/envelope.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import { decide } from '../domain/plan/decide.ts';
import { evolve } from '../domain/plan/evolve.ts';
import { initialState, type Plan, type PlanFact } from '../domain/plan/state.ts';
import { WrongExpectedRevision, type AppendResult, type EventStore } from '../store/port.ts';
import { toNewEvent } from './new-event.ts';
import { planStream, toPlanFact } from './plan-stream.ts';

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
}

/** A command of the batch was refused by the decider; nothing of the batch was written. */
export class BatchCommandRefused extends Error {
  constructor(readonly index: number, readonly item: BatchCommand, override readonly cause: unknown) {
    super(`command ${index + 1} (${item.command.type}) was refused: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const MAX_ATTEMPTS = 5;

const fold = async (store: EventStore, stream: string): Promise<{ state: Plan; revision: bigint | undefined }> => {
  let state = initialState();
  let revision: bigint | undefined;
  for await (const event of store.readStream(stream)) {
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
  const attempt = async (stream: string, items: BatchCommand[], ctx: BatchContext): Promise<AppendResult> => {
    const folded = await fold(store, stream);
    if (ctx.plannedAgainst && folded.revision !== ctx.plannedAgainst.revision)
      throw new WrongExpectedRevision(stream, ctx.plannedAgainst.revision ?? 'noStream', folded.revision);
    let state = folded.state;
    const now = clock().toISOString();
    const events: NewEvent[] = [];
    items.forEach((item, index) => {
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
    return store.append({ stream, events, expectedRevision: folded.revision ?? 'noStream', commandId: ctx.commandId });
  };

  return async (planId: string, items: BatchCommand[], ctx: BatchContext): Promise<AppendResult | undefined> => {
    if (items.length === 0) return undefined;
    const stream = planStream(planId);
    const earlier = await store.findCommand(ctx.commandId);
    if (earlier) return earlier;
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
