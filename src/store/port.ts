import type { NewEvent, StoredEvent } from '../../events/envelope.ts';

/**
 * What an append expects of the stream, checked inside the same transaction as the write:
 * - 'any': no check;
 * - 'noStream': the stream must not exist yet;
 * - 'streamExists': the stream must have at least one event;
 * - a bigint: the stream's last revision must be exactly this (revisions count from 0).
 */
export type ExpectedRevision = 'any' | 'noStream' | 'streamExists' | bigint;

export interface AppendRequest {
  stream: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
  /** The command that produced these events: a second append with the same id writes nothing and returns the first result. */
  commandId: string;
  /**
   * A digest of what the command asked for (who, which plan, what), kept with the command.
   * A later append with the same commandId but another stream or another fingerprint is a
   * different request reusing the id: it is refused with IdempotencyKeyReused instead of
   * being answered with someone else's result (see sameRequest).
   */
  requestFingerprint?: string | undefined;
  /**
   * A command's events are recorded when they are written, not when they were decided: given a
   * clock, the store stamps them with its reading as it writes them (under SQLite's write lock,
   * just before KurrentDB's append), never earlier than the stamp they carry. A command may wait
   * between the two (an evidence file stored first, another process holding the write lock), and
   * stamped at its decision it would land, once written, inside a past `asOf` that was already
   * answered without it (though one answered while this write's own transaction is open may:
   * positionAt). `ledger copy` and generated ledgers leave it out: their events keep their stamps.
   */
  clock?: (() => Date) | undefined;
}

export interface AppendResult {
  stream: string;
  commandId: string;
  /** The stream's last revision after this append. */
  nextExpectedRevision: bigint;
  firstPosition: bigint;
  lastPosition: bigint;
  eventIds: string[];
  /** True when the command had been applied before and this call wrote nothing. */
  replayed: boolean;
  /** The fingerprint the command was first applied with, when it had one. */
  requestFingerprint?: string;
}

export interface ReadStreamOptions {
  /** First revision to read, inclusive (default 0). */
  fromRevision?: bigint;
  /** Stop after this many events (default: no limit): a reader that needs a few events reads no more than those. */
  limit?: number;
  /** Only events at or before this ledger position (default: all): a fold up to an instant reads nothing after it. */
  toPosition?: bigint;
}

export interface ReadAllOptions {
  /** First global position to read, inclusive (default: the start of the ledger). */
  fromPosition?: bigint;
  /** Stop after this many events (default: no limit). */
  limit?: number;
}

/**
 * The event-store port. Every adapter (SQLite now, KurrentDB later) passes the same
 * contract suite in test/store/contract.ts.
 *
 * - Positions are dense on every backend: the ledger's events are numbered 0..n-1 in the
 *   order they were committed, with no gaps, so a position is also the event's Merkle leaf
 *   index, `minPosition` and the projection runner can count, and headPosition() + 1 = count().
 * - Each stored event carries its chain hash, computed by the store on append with the one
 *   shared function (src/integrity/event-hash.ts) from the event and its stream predecessor's
 *   hash, so every backend gives the same event the same hash.
 * - An append keeps the event as given: its eventId, recordedAt and commandId, and the
 *   request fingerprint with the command's result. Two exceptions touch recordedAt: a request
 *   with a clock (a command's events) is stamped when written (AppendRequest.clock), and on the
 *   embedded store an event stamped earlier than the ledger's last recordedAt is stored at that
 *   time (src/store/ledger-time.ts), so recordedAt never decreases in ledger order there;
 *   KurrentDB keeps such a stamp and reads it at the ledger time (`stampsKept`). With an exact
 *   expected revision (the revision it had minus one) and no clock this is how `ledger copy`
 *   carries an event over unchanged; an event stamped before the one ahead of it copies only
 *   into a store that keeps stamps.
 */
export interface EventStore {
  /** Appends atomically or not at all. Throws WrongExpectedRevision when the expectation fails. */
  append(request: AppendRequest): Promise<AppendResult>;
  /** A stream's events in revision order; an unknown stream yields nothing. */
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;
  /**
   * A stream's events at these revisions, each once, in revision order; a revision it does not
   * have is skipped. A fold at a business date reads this way the few events that count after
   * a stretch that does not (those recorded late, and corrections), scattered along the stream.
   */
  readRevisions(stream: string, revisions: readonly bigint[]): AsyncIterable<StoredEvent>;
  /** The whole ledger in global order, read in pages so it is never held in memory at once. */
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  /** The result of an already-applied command, or undefined. */
  findCommand(commandId: string): Promise<AppendResult | undefined>;
  /** The last revision of a stream, or undefined if it does not exist. */
  streamRevision(stream: string): Promise<bigint | undefined>;
  /** The position of the last event in the ledger, or undefined when empty. */
  headPosition(): Promise<bigint | undefined>;
  /**
   * The last position recorded at or before an ISO instant (as recordedAt is written), or undefined
   * when nothing was: the prefix of the ledger an `asOf` answer reads, found in an index by ledger
   * time, the latest recordedAt up to each position, which never decreases along the ledger. SQLite
   * records it as each event's recordedAt (ledger-time.ts); KurrentDB keeps each stamp as its writer
   * made it, and its store keeps the ledger time beside each position in its index, so a command
   * stamped before another but committed after it is read at the other's time, as SQLite would have
   * recorded it. Once the ledger time has passed an instant, its answer never changes as the
   * ledger grows. An instant at or after the head's ledger time when asked may still gain a write
   * that was under way then: on SQLite, one stamped inside a write transaction not yet committed
   * (milliseconds; as long as a large import's transaction); on KurrentDB, an append in flight,
   * or another instance's stamped by a clock behind. Only a SQLite ledger
   * written before ledger time was kept, whose clock once stepped back, has stretches where an
   * instant resolves to one of the positions where its recordedAt passes the instant: still a prefix.
   */
  positionAt(instant: string): Promise<bigint | undefined>;
  /**
   * The ledger time at the head (undefined while the ledger is empty): an `asOf` at or after it
   * reads every event. What a read of the ledger as it stands now is named by (ledger-now.ts).
   */
  headLedgerTime(): Promise<string | undefined>;
  /**
   * Set where the store keeps every event's recordedAt as appended, even one earlier than the
   * ledger time, and reads it at the ledger time (KurrentDB); the embedded store records such an
   * event at the ledger time instead, which changes its hash (a copy into it cannot carry it).
   */
  readonly stampsKept?: true;
  /** How many events the ledger holds. */
  count(): Promise<number>;
  /** Calls the listener with the new head position after each commit; returns an unsubscribe function. */
  subscribe(listener: (headPosition: bigint) => void): () => void;
  /** Finishes in-flight appends, then releases the backend. */
  close(): Promise<void>;
}

/** A commandId already applied to another stream, or with another request fingerprint. */
export class IdempotencyKeyReused extends Error {
  constructor(readonly commandId: string) {
    super(`command id ${commandId} was already used for a different request`);
  }
}

/**
 * Whether an earlier result may answer this request: the same stream and the same
 * fingerprint. A command recorded before fingerprints existed has none and cannot be
 * compared, so its retry is answered as it always was; a request without a fingerprint
 * never matches one recorded with a fingerprint.
 */
export const sameRequest = (earlier: AppendResult, stream: string, requestFingerprint: string | undefined): boolean =>
  earlier.stream === stream && (earlier.requestFingerprint === undefined || earlier.requestFingerprint === requestFingerprint);

export class WrongExpectedRevision extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | undefined,
  ) {
    super(
      `stream ${stream}: expected ${typeof expected === 'bigint' ? `revision ${expected}` : expected}, ` +
        `found ${actual === undefined ? 'no stream' : `revision ${actual}`}`,
    );
  }
}

/**
 * When an acknowledged append is safe against power loss:
 * - 'each-append' (the default, and all the service uses): before append() resolves;
 * - 'at-close': for a bulk load that redoes whatever it finds missing (`ledger copy` resumes at
 *   the target's count): append() may resolve once a crash of this process can no longer lose
 *   it (a power cut still may), and close() makes every append durable before it resolves. A
 *   backend whose appends are all durable anyway ignores it.
 */
export type AppendDurability = 'each-append' | 'at-close';

export class StoreClosed extends Error {
  constructor() {
    super('the event store is closed');
  }
}

/**
 * The backend cannot be reached or failed to answer (a network partition, a server restarting, a
 * deadline passed). Nothing is known to be written by the call that failed: a retry with the same
 * command id is safe, because it is answered from the first result if that one did land.
 */
export class StoreUnavailable extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The backend refused an append as larger than it accepts in one atomic write; retrying will not help. */
export class AppendTooLarge extends Error {}
