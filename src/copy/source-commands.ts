import type { StoredEvent } from '../../events/envelope.ts';
import type { AppendResult, EventStore } from '../store/port.ts';
import { CopyRefused } from './copy-refused.ts';

/** What one append recorded: its events in ledger order and its result as the source keeps it. */
export interface SourceCommand {
  events: StoredEvent[];
  result: AppendResult;
}

/** Whether two results of one command agree (one may be a replay; nothing else may differ). */
export const sameResult = (a: AppendResult, b: AppendResult) =>
  a.stream === b.stream &&
  a.commandId === b.commandId &&
  a.nextExpectedRevision === b.nextExpectedRevision &&
  a.firstPosition === b.firstPosition &&
  a.lastPosition === b.lastPosition &&
  a.requestFingerprint === b.requestFingerprint &&
  a.eventIds.length === b.eventIds.length &&
  a.eventIds.every((id, i) => id === b.eventIds[i]);

/** Whether the result describes exactly these events: one stream, these positions, ids and last revision. */
const describes = (result: AppendResult, events: StoredEvent[]): boolean => {
  const first = events[0]!;
  const last = events[events.length - 1]!;
  return (
    events.every((e) => e.stream === result.stream) &&
    result.firstPosition === first.position &&
    result.lastPosition === last.position &&
    result.nextExpectedRevision === last.revision &&
    result.eventIds.length === events.length &&
    result.eventIds.every((id, i) => id === events[i]!.eventId)
  );
};

/**
 * The source's commands in ledger order from position `from` up to `to` (exclusive): the
 * events of one append are consecutive and carry its command id, and the source's result for
 * that id must describe exactly them, or the copy could not replay the append faithfully.
 */
export async function* sourceCommands(events: Pick<EventStore, 'readAll' | 'findCommand'>, from: bigint, to: bigint) {
  const complete = async (group: StoredEvent[]): Promise<SourceCommand> => {
    const first = group[0]!;
    const result = await events.findCommand(first.commandId);
    if (!result || !describes(result, group))
      throw new CopyRefused(
        'source-command-inconsistent',
        result
          ? `the source's result for command ${first.commandId} ` +
              `(positions ${result.firstPosition}–${result.lastPosition} of stream ${result.stream}) does not describe the events ` +
              `that carry its id (positions ${first.position}–${group[group.length - 1]!.position} of stream ${first.stream})`
          : `the source's event at position ${first.position} was recorded by command ${first.commandId}, ` +
              'but the source holds no result for that command',
        first.position,
      );
    return { events: group, result };
  };

  let group: StoredEvent[] = [];
  for await (const event of events.readAll({ fromPosition: from, limit: Number(to - from) })) {
    if (group.length > 0 && event.commandId !== group[0]!.commandId) {
      yield await complete(group);
      group = [];
    }
    group.push(event);
  }
  if (group.length > 0) yield await complete(group);
}
