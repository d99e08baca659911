import type { EventStore } from '../../../src/store/port.ts';
import { makeEvents, uniqueId } from '../../support/events.ts';

/** Appends `rounds` two-event commands to each of `streams` streams, round-robin, so streams interleave in the ledger. */
export const seedStreams = async (events: EventStore, streams: string[], rounds: number): Promise<void> => {
  for (let r = 0; r < rounds; r++)
    for (const stream of streams) {
      // Every event of an append carries the append's command id, as the command handler writes them.
      const commandId = uniqueId('c');
      await events.append({
        stream,
        events: makeEvents(2, commandId),
        expectedRevision: r === 0 ? 'noStream' : BigInt(2 * r - 1),
        commandId,
      });
    }
};

export const threeStreams = () => ['plan-a', 'plan-b', 'plan-c'].map((s) => uniqueId(s));
