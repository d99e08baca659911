import { FORWARDS, START, streamNameFilter, type AllStreamResolvedEvent, type Position } from '@kurrent/kurrentdb-client';
import { GENESIS_HASH, hashEvent } from '../../integrity/event-hash.ts';
import type { EngineClient } from './engine-client.ts';
import { claimedHash, newEventOf } from './event-codec.ts';
import { isStreamNotFound } from './engine-errors.ts';
import { freshRuns } from './fresh-runs.ts';
import { ledgerTimeFor } from '../ledger-time.ts';
import type { LedgerNames } from './stream-names.ts';
import type { IndexEntry, PositionIndex } from './sqlite/position-index.ts';

/** The ledger in the engine breaks a rule every ledger keeps: a revision gap, a hash that does not match its event. */
export class LedgerDamaged extends Error {}

/**
 * The local index no longer describes the ledger in the engine: the event it recorded last is
 * not where it was. The engine was replaced or restored from an older backup, or the index file
 * came from another ledger. Positions given out from it cannot be trusted, so nothing is
 * served until an operator decides (deleting the index file rebuilds it from the engine).
 */
export class PositionIndexDiverged extends Error {}

/** Only ledger streams: the server skips system events, command markers and every other stream. */
export const ledgerFilter = (names: LedgerNames) => streamNameFilter({ prefixes: [names.prefix] });

export interface PositionIndexerOptions {
  client: EngineClient;
  names: LedgerNames;
  index: PositionIndex;
  /** Events per read (default 1000). */
  pageSize?: number;
  /** Called after each batch is committed to the index, with the new size. */
  onAdvance?: (size: bigint) => void;
}

const positionOf = (record: AllStreamResolvedEvent): Position => {
  const position = record.event?.position;
  if (!position) throw new LedgerDamaged(`the engine returned ${record.event?.id ?? 'a record'} from $all without its position`);
  return position;
};

const after = (a: Position, b: Position) => a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);

/**
 * Fills the position index from `$all`: each ledger event gets the next dense position, in the
 * engine's log order, which every instance reads the same way, and the ledger time there (the
 * latest recordedAt so far: IndexEntry). On the way in, each event's revision must follow its
 * stream's last one and its chain hash is computed here from its content (the same function as
 * SQLite); a hash the writer recorded beside it must agree.
 *
 * Pulls are coalesced (fresh-runs.ts): a caller gets a pull that started after it asked.
 */
export const createPositionIndexer = ({ client, names, index, pageSize = 1000, onAdvance }: PositionIndexerOptions) => {
  /** Reads one page after the last indexed event; returns how many records the engine gave back. */
  const pullPage = async (): Promise<{ read: number; asked: number }> => {
    const last = index.last();
    const size = last ? last.position + 1n : 0n;
    const from = last ? { commit: last.commit, prepare: last.prepare } : START;
    // The read starts at the last indexed event. Read inclusively it comes back first and must be
    // the same event; anything at or before it is already indexed.
    const asked = last ? pageSize + 1 : pageSize;
    const entries: IndexEntry[] = [];
    const heads = new Map<string, { revision: bigint; hash: string }>();
    let ledgerTime = last?.ledgerTime;
    let read = 0;
    for await (const record of client.readAll({
      fromPosition: from,
      direction: FORWARDS,
      maxCount: asked,
      filter: ledgerFilter(names),
      requiresLeader: true,
    })) {
      read++;
      const event = record.event;
      if (!event) continue;
      const position = positionOf(record);
      if (last && !after(position, last)) {
        if (position.commit === last.commit && position.prepare === last.prepare && event.id === last.eventId) continue;
        throw new PositionIndexDiverged(
          `the position index ${index.file} ends with event ${last.eventId} at ledger position ${last.position}, ` +
            `but the engine holds ${event.id} there: it was built from another ledger or the engine was restored; ` +
            `delete the index file to rebuild it from the engine`,
        );
      }
      const stream = names.ledgerStream(event.streamId);
      if (stream === undefined) continue;
      const previous = heads.get(stream) ?? index.streamHead(stream);
      const expectedRevision = previous ? previous.revision + 1n : 0n;
      if (event.revision !== expectedRevision) {
        throw new LedgerDamaged(
          `ledger stream ${stream} has revision ${event.revision} (event ${event.id}) where ${expectedRevision} was ` +
            `due: events are missing`,
        );
      }
      const content = newEventOf(event);
      const hash = hashEvent(content, { stream, revision: event.revision, previousHash: previous?.hash ?? GENESIS_HASH });
      const claimed = claimedHash(event);
      if (claimed !== undefined && claimed !== hash) {
        throw new LedgerDamaged(`event ${event.id} (${stream} revision ${event.revision}) does not match the hash recorded with it`);
      }
      heads.set(stream, { revision: event.revision, hash });
      ledgerTime = ledgerTimeFor(content.recordedAt, ledgerTime);
      entries.push({
        position: size + BigInt(entries.length),
        commit: position.commit,
        prepare: position.prepare,
        eventId: event.id,
        stream,
        revision: event.revision,
        hash,
        ledgerTime,
      });
    }
    // Another process sharing this file may have indexed the same events first: then read again after them.
    if (entries.length > 0 && !index.extend(entries, size)) return { read: asked, asked };
    if (entries.length > 0) onAdvance?.(size + BigInt(entries.length));
    return { read, asked };
  };

  const pull = async (): Promise<bigint> => {
    for (;;) {
      const { read, asked } = await pullPage();
      if (read < asked) return index.size();
    }
  };

  const pulls = freshRuns(pull);

  /** The id of the ledger's first event in the engine, or undefined when the engine holds no ledger event. */
  const firstEventInEngine = async (): Promise<string | undefined> => {
    for await (const record of client.readAll({
      fromPosition: START,
      direction: FORWARDS,
      maxCount: 1,
      filter: ledgerFilter(names),
      requiresLeader: true,
    })) {
      if (record.event) return record.event.id;
    }
    return undefined;
  };

  /**
   * Checks the index still describes the ledger in the engine: its last event must be where the
   * index says, in the same stream at the same revision. Run once at open, before any position is
   * given out. When it does not:
   * - the engine's ledger starts with another event than the index's: the index was built from
   *   another ledger (LEDGER_STORE now names another engine, or the engine was replaced). The
   *   index is only a cache of that other ledger: it is cleared, to be rebuilt by the catch-up,
   *   and the reason is returned for one line in the log;
   * - the same first event: the engine was restored from an older backup, and positions already
   *   given out (to clients, in signed checkpoints) may now name other events. Nothing is served
   *   until an operator decides: throws PositionIndexDiverged.
   */
  const checkAgainstEngine = async (): Promise<{ rebuiltBecause?: string }> => {
    const last = index.last();
    if (!last) return {};
    let found: string | undefined;
    try {
      for await (const record of client.readStream(names.engineStream(last.stream), {
        fromRevision: last.revision,
        maxCount: 1,
        requiresLeader: true,
      })) {
        found = record.event?.id;
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    if (found === last.eventId) return {};
    const indexedFirst = index.at(0n)?.eventId;
    const engineFirst = await firstEventInEngine();
    if (indexedFirst !== engineFirst) {
      index.clear();
      const engineHolds = engineFirst === undefined ? 'which holds no ledger event' : `first event ${engineFirst}`;
      return {
        rebuiltBecause:
          `the position index ${index.file} was built from another ledger (first event ${indexedFirst}), not the one in the engine ` +
          `(${engineHolds}): it is cleared and rebuilt from the engine`,
      };
    }
    throw new PositionIndexDiverged(
      `the position index ${index.file} ends with event ${last.eventId} (${last.stream} revision ${last.revision}), ` +
        `but the engine holds ${found ? `event ${found}` : 'nothing'} there: the engine was restored from an older backup ` +
        `(or lost events); delete the index file to rebuild it from the engine once you have decided what the ledger is`,
    );
  };

  return {
    checkAgainstEngine,
    /** Indexes everything committed before the call; resolves with the index size. */
    catchUp: (): Promise<bigint> => pulls.run(),
    /** Resolves when no pull is running or queued. */
    whenIdle: (): Promise<void> => pulls.whenIdle(),
  };
};
export type PositionIndexer = ReturnType<typeof createPositionIndexer>;
