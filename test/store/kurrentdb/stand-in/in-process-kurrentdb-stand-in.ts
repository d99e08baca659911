import {
  BACKWARDS,
  END,
  InvalidArgumentError,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendStreamRequest,
  type GetStreamMetadataResult,
  type AppendStreamState,
  type MultiAppendResult,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type SetStreamMetadataOptions,
  type StreamMetadata,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import type { EngineClient, EngineSubscription } from '../../../../src/store/kurrentdb/engine-client.ts';
import { StandInSubscription } from './stand-in-subscription.ts';
import { checkAppendSession, grpcError, notLeaderRefusal, revisionConflict } from './stand-in-server-rules.ts';
import { compare, matches, toRecorded, type LogRecord } from './stand-in-log.ts';

/**
 * AN IN-PROCESS STAND-IN FOR A KURRENTDB CLIENT: NOT KURRENTDB.
 *
 * It plays the few calls the adapter makes (EngineClient) by the rules the adapter assumes of
 * the engine, so the adapter's own logic (expectations, markers, the dense position index,
 * error translation, resubscription) can be tested without a server. Passing a test on it
 * proves nothing about KurrentDB itself: only the suites that run when LEDGER_KURRENTDB_URL is
 * set do. What it plays, each read from KurrentDB 25.1.3's source or client 1.3.1's, and each
 * still to confirm on a real server:
 * - a multi-stream append is atomic and checks every stream's expected state first, reporting
 *   the first failing stream with its actual revision as the server's StreamRevisionConflict
 *   status, read by the client's own conversion; it refuses what the server's validators
 *   refuse, as the client surfaces it (stand-in-server-rules.ts);
 * - an identical resend (same ids right after an exact or "no_stream" expectation) succeeds
 *   without writing (IndexWriter.CheckCommit);
 * - metadata comes back as JSON with the schema's name and format added (EventRecord.cs);
 * - `$all` positions are sparse and increasing, commit = prepare per event; a read of `$all`
 *   from a position includes the event there (AllReader.cs: `>= pos`; `exclusiveReads` plays an
 *   engine that starts after it); a backwards read from END starts at the last event;
 * - a subscription to `$all` starts after its position and then follows live; it ends as the
 *   client's does (stand-in-subscription.ts);
 * - reading a missing stream throws StreamNotFoundError while iterating; a revision below 0 is
 *   refused when readStream is called (the client's own check);
 * - a stream's `truncateBefore` metadata hides its events before that revision from stream
 *   reads at once (a scavenge later removes them), while its revisions keep counting on;
 * - an append that cannot reach the engine rejects with the raw gRPC error (the client's
 *   appendSession sink error), reads with UnavailableError (the bridge's);
 * - after `electNewLeader()`, connections made before it are refused as a former leader
 *   refuses a v2 append; connections made after it reach the new leader.
 */
export interface StandInOptions {
  /** Read `$all` from a position exclusively, as some engines do (default: inclusive). */
  exclusiveReads?: boolean;
}

export class InProcessKurrentDBStandIn implements EngineClient {
  readonly log: LogRecord[] = [];
  readonly #streams = new Map<string, LogRecord[]>();
  /** Each stream's last revision: kept apart from its records, which a scavenge may remove. */
  readonly #lastRevision = new Map<string, bigint>();
  /** Each stream's metadata as last set, and its `truncateBefore` as a revision. */
  readonly #metadata = new Map<string, StreamMetadata>();
  readonly #truncateBefore = new Map<string, bigint>();
  readonly #subscriptions = new Set<StandInSubscription>();
  /** Log positions are byte offsets in the real engine: sparse, and shared with system records. */
  #nextPosition = 1000n;
  #offline = false;
  #answersToLose = 0;
  /** Bumped by electNewLeader(): a connection made in an earlier term talks to a node that is no longer the leader. */
  #term = 0;

  constructor(readonly options: StandInOptions = {}) {}

  /** Makes every call fail as an unreachable engine does, and drops live subscriptions with an error. */
  goOffline(): void {
    this.#offline = true;
    for (const subscription of this.#subscriptions) subscription.fail(new UnavailableError(undefined, 'stand-in offline'));
  }

  goOnline(): void {
    this.#offline = false;
  }

  /** Another node becomes the leader: connections made before now reach a follower, which refuses appends. */
  electNewLeader(): void {
    this.#term++;
  }

  /** The next `count` appends are written, but their answers are lost on the way back, as a connection dropping at the wrong moment does. */
  loseAnswers(count = 1): void {
    this.#answersToLose = count;
  }

  #checkOnline(): void {
    if (this.#offline) throw new UnavailableError(undefined, '14 UNAVAILABLE: the stand-in is offline');
  }

  /** This engine as restoring a backup taken after its first `records` log records would leave it: a new stand-in. */
  restoredFromBackup(records: number): InProcessKurrentDBStandIn {
    const restored = new InProcessKurrentDBStandIn(this.options);
    for (const r of this.log.slice(0, records))
      restored.#write(r.streamId, [{ id: r.id, type: r.type, data: r.data, metadata: r.metadata }]);
    return restored;
  }

  /** Writes an event outside the ledger (a system stream, another application): the adapter must not count it. */
  writeForeign(streamId: string, type = 'Other'): void {
    this.#write(streamId, [{ id: crypto.randomUUID(), type, data: '{}', metadata: undefined }]);
  }

  /**
   * Removes a stream's events before `revision` from the stand-in, as a `$maxCount` or
   * truncation and a scavenge would: the ledger must notice the gap.
   */
  scavenge(streamId: string, before: bigint): void {
    const stream = this.#streams.get(streamId) ?? [];
    const gone = new Set(stream.filter((r) => r.revision < before));
    this.#streams.set(
      streamId,
      stream.filter((r) => !gone.has(r)),
    );
    this.log.splice(0, this.log.length, ...this.log.filter((r) => !gone.has(r)));
  }

  #write(streamId: string, events: { id: string; type: string; data: string; metadata: string | undefined }[]): bigint {
    const stream = this.#streams.get(streamId) ?? [];
    this.#streams.set(streamId, stream);
    for (const event of events) {
      // A gap as the engine's own records between events would leave.
      this.#nextPosition += 100n + BigInt(event.data.length);
      const record: LogRecord = {
        ...event,
        streamId,
        revision: (this.#actual(streamId) ?? -1n) + 1n,
        position: { commit: this.#nextPosition, prepare: this.#nextPosition },
        created: new Date(),
      };
      stream.push(record);
      this.#lastRevision.set(streamId, record.revision);
      this.log.push(record);
      for (const subscription of this.#subscriptions) subscription.offer(record);
    }
    return this.#actual(streamId)!;
  }

  #actual(streamId: string): bigint | undefined {
    return this.#lastRevision.get(streamId);
  }

  #holds(expected: AppendStreamState, actual: bigint | undefined): boolean {
    if (expected === 'any') return true;
    if (expected === 'no_stream') return actual === undefined;
    if (expected === 'stream_exists') return actual !== undefined;
    return actual === expected;
  }

  /** The same events, by id, already follow the expected revision: an identical resend. */
  #alreadyWritten(request: AppendStreamRequest): boolean {
    if (request.expectedState !== 'no_stream' && typeof request.expectedState !== 'bigint') return false;
    const first = request.expectedState === 'no_stream' ? 0n : request.expectedState + 1n;
    const stream = this.#streams.get(request.streamName) ?? [];
    return request.events.every((event, i) => stream.find((r) => r.revision === first + BigInt(i))?.id === event.id);
  }

  async multiStreamAppend(requests: AppendStreamRequest[], term = this.#term): Promise<MultiAppendResult> {
    // The client's own check, before anything is sent (dist/streams/appendToStream/multiStreamAppend.js).
    for (const request of requests)
      for (const event of request.events)
        if (event.metadata !== undefined && Object.values(event.metadata as object).some((v) => typeof v !== 'string'))
          throw new Error('multiStreamAppend requires metadata to be a plain object with string keys and string values.');
    if (this.#offline) throw grpcError(14, 'No connection established');
    if (term !== this.#term) throw notLeaderRefusal();
    checkAppendSession(requests);
    if (requests.every((r) => this.#alreadyWritten(r))) {
      const last = requests.flatMap((r) => this.#streams.get(r.streamName)!).sort((a, b) => compare(a.position, b.position));
      return {
        position: last[last.length - 1]!.position.commit,
        responses: requests.map((r) => ({ streamName: r.streamName, revision: this.#actual(r.streamName)! })),
      };
    }
    for (const request of requests) {
      const actual = this.#actual(request.streamName);
      if (!this.#holds(request.expectedState, actual)) {
        throw revisionConflict(request.streamName, request.expectedState, actual);
      }
    }
    const responses = requests.map((request) => ({
      streamName: request.streamName,
      revision: this.#write(
        request.streamName,
        request.events.map((e) => ({
          id: e.id,
          type: e.type,
          data: JSON.stringify(e.data),
          metadata: e.metadata === undefined ? undefined : JSON.stringify(e.metadata),
        })),
      ),
    }));
    if (this.#answersToLose > 0) {
      this.#answersToLose--;
      throw grpcError(14, 'the connection dropped before the answer arrived');
    }
    return { position: this.#nextPosition, responses };
  }

  readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<ResolvedEvent> {
    // The client checks the revision when called, before it reads (dist/streams/readStream.js).
    const from = options.fromRevision;
    if (typeof from === 'bigint' && (from < 0n || from > 0xffffffffffffffffn)) {
      throw new InvalidArgumentError(`fromRevision value must be a non-negative integer. Value Received: ${from}`);
    }
    return this.#readStream(streamName, options);
  }

  async *#readStream(streamName: string, options: ReadStreamOptions): AsyncIterable<ResolvedEvent> {
    this.#checkOnline();
    const whole = this.#streams.get(streamName);
    if (!whole) throw new StreamNotFoundError(undefined, streamName);
    const visibleFrom = this.#truncateBefore.get(streamName) ?? 0n;
    const stream = whole.filter((r) => r.revision >= visibleFrom);
    const backwards = options.direction === BACKWARDS;
    const from = options.fromRevision ?? (backwards ? END : START);
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const wanted = stream.filter((r) =>
      from === START ? !backwards : from === END ? backwards : backwards ? r.revision <= from : r.revision >= from,
    );
    for (const record of (backwards ? wanted.reverse() : wanted).slice(0, max)) yield { event: toRecorded(record) };
  }

  async getStreamMetadata(streamName: string): Promise<GetStreamMetadataResult> {
    this.#checkOnline();
    const metadata = this.#metadata.get(streamName);
    return { streamName, ...(metadata ? { metadata, metastreamRevision: this.#actual(`$$${streamName}`)! } : {}) };
  }

  /** The metadata is an event of `$$<stream>`, as in the engine, checked against `expectedRevision`; only `truncateBefore` acts. */
  async setStreamMetadata(streamName: string, metadata: StreamMetadata, options: SetStreamMetadataOptions = {}): Promise<AppendResult> {
    this.#checkOnline();
    const metaStream = `$$${streamName}`;
    const actual = this.#actual(metaStream);
    if (!this.#holds(options.expectedRevision ?? 'any', actual))
      throw new WrongExpectedVersionError(undefined, {
        streamName: metaStream,
        expected: options.expectedRevision!,
        current: actual ?? 'no_stream',
      });
    const revision = this.#write(metaStream, [
      { id: crypto.randomUUID(), type: '$metadata', data: JSON.stringify(metadata), metadata: undefined },
    ]);
    this.#metadata.set(streamName, { ...metadata });
    if (typeof metadata.truncateBefore === 'number') this.#truncateBefore.set(streamName, BigInt(metadata.truncateBefore));
    else this.#truncateBefore.delete(streamName);
    return { success: true, nextExpectedRevision: revision, position: { commit: this.#nextPosition, prepare: this.#nextPosition } };
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<AllStreamResolvedEvent> {
    this.#checkOnline();
    const from = options.fromPosition ?? START;
    let left = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    if (options.direction === BACKWARDS) {
      if (from !== END) throw new Error('the stand-in reads $all backwards from END only');
      for (const record of [...this.log].reverse()) {
        if (left <= 0) return;
        if (!matches(options.filter, record)) continue;
        left--;
        yield { event: toRecorded(record), commitPosition: record.position.commit };
      }
      return;
    }
    for (const record of this.log) {
      if (left <= 0) return;
      if (from === END) return;
      if (from !== START) {
        const order = compare(record.position, from);
        if (order < 0 || (order === 0 && this.options.exclusiveReads)) continue;
      }
      if (!matches(options.filter, record)) continue;
      left--;
      yield { event: toRecorded(record), commitPosition: record.position.commit };
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EngineSubscription {
    const subscription = new StandInSubscription(
      (record) => matches(options.filter, record as LogRecord),
      (record) => ({ event: toRecorded(record as LogRecord) }),
      () => this.#subscriptions.delete(subscription),
    );
    if (this.#offline) {
      setImmediate(() => subscription.fail(new UnavailableError(undefined, 'stand-in offline')));
      return subscription;
    }
    this.#subscriptions.add(subscription);
    const from = options.fromPosition ?? START;
    // Starts after its position, then live.
    for (const record of this.log) if (from === START || (from !== END && compare(record.position, from) > 0)) subscription.offer(record);
    return subscription;
  }

  /**
   * One process's connection to the stand-in: its own subscriptions, closed by its own
   * dispose(), so one instance letting go does not end another's.
   */
  connect(): EngineClient {
    const mine = new Set<EngineSubscription>();
    const term = this.#term;
    return {
      multiStreamAppend: (requests) => this.multiStreamAppend(requests, term),
      readStream: (name, options) => this.readStream(name, options),
      readAll: (options) => this.readAll(options),
      getStreamMetadata: (name) => this.getStreamMetadata(name),
      setStreamMetadata: (name, metadata, options) => this.setStreamMetadata(name, metadata, options),
      subscribeToAll: (options) => {
        const subscription = this.subscribeToAll(options);
        mine.add(subscription);
        return subscription;
      },
      dispose: async () => {
        for (const subscription of mine) await subscription.unsubscribe();
      },
    };
  }

  async dispose(): Promise<void> {
    for (const subscription of [...this.#subscriptions]) await subscription.unsubscribe();
  }
}
