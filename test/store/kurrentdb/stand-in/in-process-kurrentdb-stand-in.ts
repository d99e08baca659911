import {
  BACKWARDS,
  END,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type AppendResult,
  type AppendStreamRequest,
  type GetStreamMetadataResult,
  type AppendStreamState,
  type Filter,
  type MultiAppendResult,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type ResolvedEvent,
  type SetStreamMetadataOptions,
  type StreamMetadata,
  type SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import type { EngineClient, EngineSubscription } from '../../../../src/store/kurrentdb/engine-client.ts';
import { StandInSubscription } from './stand-in-subscription.ts';

/**
 * AN IN-PROCESS STAND-IN FOR A KURRENTDB CLIENT: NOT KURRENTDB.
 *
 * It plays the few calls the adapter makes (EngineClient) by the rules the adapter assumes of
 * the engine, so the adapter's own logic (expectations, markers, the dense position index,
 * error translation, resubscription) can be tested without a server. Passing a test on it
 * proves nothing about KurrentDB itself: only the suites that run when LEDGER_KURRENTDB_URL is
 * set do. What it assumes, each an assumption to confirm on a real server:
 * - a multi-stream append is atomic and checks every stream's expected state first, reporting
 *   the first failing stream with its actual revision (-1 as "no_stream");
 * - an identical resend (same ids right after the expected revision) succeeds without writing;
 * - `$all` positions are sparse and increasing, commit = prepare per event; a read of `$all`
 *   from a position includes the event there (or, with `exclusiveReads`, starts after it);
 * - a subscription to `$all` starts after its position and then follows live;
 * - reading a missing stream throws StreamNotFoundError while iterating;
 * - a stream's `truncateBefore` metadata hides its events before that revision from stream
 *   reads at once (a scavenge later removes them), while its revisions keep counting on.
 */
interface LogRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  /** The JSON text as the client would have sent it. */
  data: string;
  metadata: string | undefined;
  position: Position;
  created: Date;
}

export interface StandInOptions {
  /** Read `$all` from a position exclusively, as some engines do (default: inclusive). */
  exclusiveReads?: boolean;
}

const matches = (filter: Filter | undefined, record: LogRecord): boolean => {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? record.streamId : record.type;
  return 'prefixes' in filter ? filter.prefixes.some((p) => subject.startsWith(p)) : new RegExp(filter.regex).test(subject);
};

const compare = (a: Position, b: Position) => (a.commit === b.commit ? Number(a.prepare - b.prepare) : a.commit < b.commit ? -1 : 1);

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

  constructor(readonly options: StandInOptions = {}) {}

  /** Makes every call fail as an unreachable engine does, and drops live subscriptions with an error. */
  goOffline(): void {
    this.#offline = true;
    for (const subscription of this.#subscriptions) subscription.fail(new UnavailableError(undefined, 'stand-in offline'));
  }

  goOnline(): void {
    this.#offline = false;
  }

  /** The next `count` appends are written, but their answers are lost on the way back, as a connection dropping at the wrong moment does. */
  loseAnswers(count = 1): void {
    this.#answersToLose = count;
  }

  #checkOnline(): void {
    if (this.#offline) throw new UnavailableError(undefined, '14 UNAVAILABLE: the stand-in is offline');
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

  async multiStreamAppend(requests: AppendStreamRequest[]): Promise<MultiAppendResult> {
    this.#checkOnline();
    for (const request of requests)
      for (const event of request.events)
        if (event.metadata !== undefined && Object.values(event.metadata as object).some((v) => typeof v !== 'string'))
          throw new Error('multiStreamAppend requires metadata to be a plain object with string keys and string values.');
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
        throw new WrongExpectedVersionError(undefined, {
          streamName: request.streamName,
          expected: request.expectedState,
          current: actual ?? 'no_stream',
        });
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
      throw new UnavailableError(undefined, '14 UNAVAILABLE: the connection dropped before the answer arrived');
    }
    return { position: this.#nextPosition, responses };
  }

  #recorded(record: LogRecord): AllStreamRecordedEvent {
    // Fresh objects on every read, as the real client parses each response anew.
    return {
      streamId: record.streamId,
      id: record.id,
      revision: record.revision,
      type: record.type,
      data: JSON.parse(record.data) as Record<string, unknown>,
      metadata: record.metadata === undefined ? undefined : (JSON.parse(record.metadata) as Record<string, unknown>),
      isJson: true,
      created: record.created,
      position: { ...record.position },
    } as AllStreamRecordedEvent;
  }

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<ResolvedEvent> {
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
    for (const record of (backwards ? wanted.reverse() : wanted).slice(0, max)) yield { event: this.#recorded(record) };
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
    if (options.direction === BACKWARDS) throw new Error('the stand-in reads $all forwards only');
    const from = options.fromPosition ?? START;
    let left = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    for (const record of this.log) {
      if (left <= 0) return;
      if (from === END) return;
      if (from !== START) {
        const order = compare(record.position, from);
        if (order < 0 || (order === 0 && this.options.exclusiveReads)) continue;
      }
      if (!matches(options.filter, record)) continue;
      left--;
      yield { event: this.#recorded(record), commitPosition: record.position.commit };
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EngineSubscription {
    const subscription = new StandInSubscription(
      (record) => matches(options.filter, record as LogRecord),
      (record) => ({ event: this.#recorded(record as LogRecord) }),
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
    return {
      multiStreamAppend: (requests) => this.multiStreamAppend(requests),
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
