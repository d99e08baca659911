import type { AppendStreamRequest, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import type { NewEvent } from '../../../events/envelope.ts';
import { GENESIS_HASH } from '../../integrity/event-hash.ts';
import { IdempotencyKeyReused, sameRequest, WrongExpectedRevision, type AppendRequest, type AppendResult } from '../port.ts';
import { backoffDelay, sleep } from './backoff.ts';
import { toMarkerEvent, type CommandMarker } from './command-marker.ts';
import { isTransient, translateEngineError, wrongExpectedVersion } from './engine-errors.ts';
import { chainHashes, toEngineEvent } from './event-codec.ts';
import { fromCurrentState, toStreamState } from './expected-state.ts';
import { markerResult, readMarker } from './kurrentdb-reads.ts';
import { catchUp, type StoreContext } from './store-context.ts';
import { clockBehind, ledgerTimeFor, type ClockBehind } from '../ledger-time.ts';

/**
 * The events as they are to be written: stamped with the request's clock now, just before the
 * append, when it has one (AppendRequest.clock), and never earlier than their own stamp.
 */
const stampedNow = ({ events, clock }: AppendRequest): NewEvent[] => {
  if (!clock) return events;
  const now = clock().toISOString();
  // The same rule as the embedded store's (apply-append.ts): the later of the clock and the event's own stamp.
  return events.map((event) => {
    const recordedAt = ledgerTimeFor(now, event.recordedAt);
    return recordedAt === event.recordedAt ? event : { ...event, recordedAt };
  });
};

/** Where the stream ends as this instance knows it, or that the expectation already fails (with the stream's revision). */
type Plan = { write: true; head: bigint | undefined; previousHash: string } | { write: false; actual: bigint | undefined };

/** 'any' and 'streamExists' are resolved to the stream's head before writing; a writer elsewhere may move it meanwhile. */
const MAX_RACES = 5;
/** How long an append keeps resending after the engine did not answer, before reporting it unavailable. */
const RESEND_BUDGET_MS = 5000;

/**
 * One command's append on KurrentDB, in one atomic multi-stream append: the events to the plan's
 * stream with the expected revision, and the command's marker to its own stream, expected not to
 * exist (command-marker.ts). The chain hash needs the previous event's hash and an exact revision,
 * so every expectation is turned into an exact one first, from the position index.
 */
export const createAppender = (ctx: StoreContext, onClockBehind?: (report: ClockBehind) => void) => {
  const plan = async ({ stream, expectedRevision: expected }: AppendRequest): Promise<Plan> => {
    if (expected === 'noStream') return { write: true, head: undefined, previousHash: GENESIS_HASH };
    if (typeof expected === 'bigint') {
      // The hash of the event at the expected revision; the engine checks it is still the last.
      let entry = ctx.index.streamEntry(stream, expected);
      if (!entry) {
        // Written through another instance, perhaps: look again once the index has caught up.
        await catchUp(ctx);
        entry = ctx.index.streamEntry(stream, expected);
      }
      if (entry) return { write: true, head: expected, previousHash: entry.hash };
      return { write: false, actual: ctx.index.streamHead(stream)?.revision };
    }
    await catchUp(ctx);
    const head = ctx.index.streamHead(stream);
    if (expected === 'streamExists' && !head) return { write: false, actual: undefined };
    return { write: true, head: head?.revision, previousHash: head?.hash ?? GENESIS_HASH };
  };

  /** The first result of a command applied before, or IdempotencyKeyReused when this is a different request. */
  const replay = async (marker: CommandMarker, request: AppendRequest): Promise<AppendResult> => {
    // Our own write, answered by a resend after its answer was lost: not a replay to the caller.
    const ours = marker.eventIds.length === request.events.length && marker.eventIds.every((id, i) => id === request.events[i]!.eventId);
    const earlier = await markerResult(ctx, marker, !ours);
    if (!sameRequest(earlier, request.stream, request.requestFingerprint)) throw new IdempotencyKeyReused(request.commandId);
    return earlier;
  };

  /** Resends the identical request while the engine does not answer: the marker makes a resend of a write that landed harmless. */
  const send = async (requests: AppendStreamRequest[]) => {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await ctx.client.multiStreamAppend(requests);
      } catch (error) {
        if (!isTransient(error) || Date.now() - started > RESEND_BUDGET_MS) throw error;
        await sleep(backoffDelay(attempt, 100, 1000));
      }
    }
  };

  /** After the engine refused: a replay, a reused key, a race to try again (undefined), or the refusal itself. */
  const answerConflict = async (request: AppendRequest, conflict: WrongExpectedVersionError): Promise<AppendResult | undefined> => {
    const earlier = await readMarker(ctx, request.commandId);
    if (earlier) return replay(earlier, request);
    if (conflict.streamName !== ctx.names.engineStream(request.stream)) {
      throw new Error(`KurrentDB at ${ctx.address} refused the marker of command ${request.commandId}, yet holds no marker for it`);
    }
    const actual = fromCurrentState(conflict.actualState);
    const expected = request.expectedRevision;
    if (expected === 'any' || (expected === 'streamExists' && actual !== undefined)) return undefined;
    throw new WrongExpectedRevision(request.stream, expected, actual);
  };

  return async (request: AppendRequest): Promise<AppendResult> => {
    for (let race = 1; ; race++) {
      const planned = await plan(request);
      if (!planned.write) {
        // A retry of a command applied earlier is answered even though its expectation is stale now.
        const earlier = await readMarker(ctx, request.commandId);
        if (earlier) return replay(earlier, request);
        throw new WrongExpectedRevision(request.stream, request.expectedRevision, planned.actual);
      }
      // The ledger's time as this instance knows it before the write: the events after it are not ours to compare with.
      const ledgerTimeBefore = ctx.index.last()?.ledgerTime;
      const firstRevision = planned.head === undefined ? 0n : planned.head + 1n;
      const events = stampedNow(request);
      // Hashing first also refuses an event JSON cannot carry before anything is sent.
      const hashes = chainHashes(request.stream, events, firstRevision, planned.previousHash);
      const marker: CommandMarker = {
        commandId: request.commandId,
        stream: request.stream,
        requestFingerprint: request.requestFingerprint,
        eventIds: request.events.map((e) => e.eventId),
        firstRevision,
        lastRevision: firstRevision + BigInt(request.events.length - 1),
      };
      try {
        await send([
          {
            streamName: ctx.names.engineStream(request.stream),
            events: events.map((event, i) => toEngineEvent(event, hashes[i]!)),
            expectedState: toStreamState(planned.head ?? 'noStream'),
          },
          { streamName: ctx.names.markerStream(request.commandId), events: [toMarkerEvent(marker)], expectedState: 'no_stream' },
        ]);
      } catch (error) {
        const conflict = wrongExpectedVersion(error);
        if (!conflict) throw translateEngineError(error, ctx.address, `an append to ${request.stream}`);
        const answer = await answerConflict(request, conflict);
        if (answer) return answer;
        if (race >= MAX_RACES)
          throw new WrongExpectedRevision(request.stream, request.expectedRevision, fromCurrentState(conflict.actualState));
        continue;
      }
      // The stamp stays as written (the hash covers it); an asOf reads the event at the ledger's time (IndexEntry).
      // Only a clock read here can be behind: events stamped elsewhere (a copy's, carried as recorded) are not this clock's.
      const stamped = events[0]!.recordedAt;
      if (request.clock && ledgerTimeBefore !== undefined && stamped < ledgerTimeBefore)
        onClockBehind?.(clockBehind(stamped, ledgerTimeBefore, true));
      return markerResult(ctx, marker, false);
    }
  };
};
