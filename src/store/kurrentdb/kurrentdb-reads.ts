import { BACKWARDS, END, FORWARDS, START, type ReadRevision, type RecordedEvent, type ResolvedEvent } from '@kurrent/kurrentdb-client';
import type { StoredEvent } from '../../../events/envelope.ts';
import { fromMarkerRecord, type CommandMarker } from './command-marker.ts';
import { isStreamNotFound } from './engine-errors.ts';
import { toStoredEvent } from './event-codec.ts';
import { StoreUnavailable } from '../port.ts';
import { ledgerFilter } from './position-indexer.ts';
import type { AppendResult } from '../port.ts';
import { awaitIndexed, catchUp, engineCall, type StoreContext } from './store-context.ts';
import type { IndexEntry } from './sqlite/position-index.ts';

const recordsOf = async (iterable: AsyncIterable<ResolvedEvent>): Promise<RecordedEvent[]> => {
  const records: RecordedEvent[] = [];
  for await (const resolved of iterable) if (resolved.event) records.push(resolved.event);
  return records;
};

/** A page of an engine stream; a stream the engine does not have reads as empty, as on every backend. */
const readEnginePage = (ctx: StoreContext, stream: string, fromRevision: ReadRevision, maxCount: number, backwards = false) =>
  engineCall(ctx, `a read of ${stream}`, async () => {
    try {
      return await recordsOf(
        ctx.client.readStream(stream, { fromRevision, maxCount, direction: backwards ? BACKWARDS : FORWARDS, requiresLeader: true }),
      );
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
  });

/** The index and the engine disagree about an event: nothing more can be served from this index. */
const diverged = (ctx: StoreContext, entry: IndexEntry | undefined, found: string | undefined) =>
  new StoreUnavailable(
    `the position index ${ctx.index.file} has ${entry ? `event ${entry.eventId} at ledger position ${entry.position}` : 'no event'} ` +
      `where KurrentDB at ${ctx.address} holds ${found ?? 'nothing'}: delete the index file to rebuild it from the engine`,
  );

/**
 * A ledger stream in revision order, in pages. Bodies come from the engine; each event's dense
 * position and hash from the index, caught up first when the stream has events the index has
 * not seen yet (appended through another instance a moment ago).
 */
export async function* readStreamPages(
  ctx: StoreContext,
  ensureOpen: () => void,
  stream: string,
  fromRevision: bigint,
  toPosition: bigint | undefined,
  limit: number,
) {
  // Below 0 reads from the start, as on SQLite; the client would refuse it (dist/streams/readStream.js: InvalidArgumentError).
  let from = fromRevision < 0n ? 0n : fromRevision;
  let remaining = limit;
  while (remaining > 0) {
    ensureOpen();
    const want = Math.min(ctx.pageSize, remaining);
    let records = await readEnginePage(ctx, ctx.names.engineStream(stream), from, want);
    const first = records[0];
    const last = records[records.length - 1];
    if (!first || !last) return;
    // The size first: another instance may index more between the two reads, and an entry indexed
    // after the size was read must not count as past a bound the size did not yet cover.
    const indexed = ctx.index.size();
    let entries = ctx.index.streamRange(stream, first.revision, last.revision);
    if (entries.length < records.length && toPosition !== undefined && toPosition < indexed) {
      // The index held every position up to the bound before the entries were read, so those it lacks are past it: nothing to wait for.
      records = records.slice(0, entries.length);
    } else if (entries.length < records.length) {
      // Appended through another instance a moment ago: committed, so the index will have them shortly.
      await awaitIndexed(ctx, [last.id]);
      entries = ctx.index.streamRange(stream, first.revision, last.revision);
    }
    const page: StoredEvent[] = records.map((record, i) => {
      const entry = entries[i];
      if (entry?.eventId !== record.id) throw diverged(ctx, entry, record.id);
      return toStoredEvent(record, stream, entry.position, entry.hash);
    });
    // A stream's events stand in increasing ledger positions: the first past the bound ends the read.
    const past = toPosition === undefined ? -1 : page.findIndex((event) => event.position > toPosition);
    if (past >= 0) return yield* page.slice(0, past);
    yield* page;
    remaining -= records.length;
    if (records.length < want) return;
    from = last.revision + 1n;
  }
}

/**
 * The engine's records of the indexed events at dense positions [position, position + count),
 * each paired with its index entry. The read starts at the event before them, whose engine
 * position the index knows, so it is right whether the engine starts a read at a position
 * inclusively or just after it; a record that is not the one the index names is divergence.
 */
export const readIndexedRecords = async (
  ctx: StoreContext,
  position: bigint,
  count: number,
): Promise<Array<{ entry: IndexEntry; record: RecordedEvent }>> => {
  const entries = ctx.index.range(position, count);
  if (entries.length === 0) return [];
  const anchor = position === 0n ? undefined : ctx.index.at(position - 1n);
  const records = await engineCall(ctx, 'a read of the ledger', async () => {
    const page: RecordedEvent[] = [];
    const from = anchor ? { commit: anchor.commit, prepare: anchor.prepare } : START;
    for await (const resolved of ctx.client.readAll({
      fromPosition: from,
      maxCount: entries.length + 1,
      filter: ledgerFilter(ctx.names),
      requiresLeader: true,
    })) {
      const event = resolved.event;
      if (!event?.position) continue;
      const atOrBeforeAnchor =
        anchor &&
        (event.position.commit < anchor.commit || (event.position.commit === anchor.commit && event.position.prepare <= anchor.prepare));
      if (atOrBeforeAnchor) continue;
      page.push(event);
      if (page.length === entries.length) break;
    }
    return page;
  });
  return entries.map((entry, i) => {
    const record = records[i];
    if (record?.id !== entry.eventId) throw diverged(ctx, entry, record?.id);
    return { entry, record };
  });
};

/** The ledger in dense position order, from `fromPosition`, at most `limit` events: everything committed before the read began. */
export async function* readAllPages(ctx: StoreContext, ensureOpen: () => void, fromPosition: bigint, limit: number) {
  ensureOpen();
  const end = await catchUp(ctx);
  let position = fromPosition < 0n ? 0n : fromPosition;
  let remaining = limit;
  while (position < end && remaining > 0) {
    ensureOpen();
    const pairs = await readIndexedRecords(ctx, position, Math.min(ctx.pageSize, remaining, Number(end - position)));
    if (pairs.length === 0) return;
    const page: StoredEvent[] = pairs.map(({ entry, record }) => toStoredEvent(record, entry.stream, entry.position, entry.hash));
    yield* page;
    position += BigInt(page.length);
    remaining -= page.length;
  }
}

/** A ledger stream's last revision, as the engine's leader has it now; undefined when there is no such stream. */
export const lastRevision = async (ctx: StoreContext, stream: string): Promise<bigint | undefined> =>
  (await readEnginePage(ctx, ctx.names.engineStream(stream), END, 1, true))[0]?.revision;

/** The marker of a command applied before, or undefined. Read from the leader: an append may have just written it. */
export const readMarker = async (ctx: StoreContext, commandId: string): Promise<CommandMarker | undefined> => {
  const [record] = await readEnginePage(ctx, ctx.names.markerStream(commandId), START, 1);
  return record && fromMarkerRecord(record);
};

/** The result a marker records, with the dense positions of its first and last event from the index. */
export const markerResult = async (ctx: StoreContext, marker: CommandMarker, replayed: boolean): Promise<AppendResult> => {
  const [first, last] = await awaitIndexed(ctx, [marker.eventIds[0]!, marker.eventIds[marker.eventIds.length - 1]!]);
  return {
    stream: marker.stream,
    commandId: marker.commandId,
    nextExpectedRevision: marker.lastRevision,
    firstPosition: first!.position,
    lastPosition: last!.position,
    eventIds: marker.eventIds,
    replayed,
    ...(marker.requestFingerprint === undefined ? {} : { requestFingerprint: marker.requestFingerprint }),
  };
};
