import type {
  AllStreamResolvedEvent,
  AppendResult,
  AppendStreamRequest,
  GetStreamMetadataResult,
  MultiAppendResult,
  ReadAllOptions,
  ReadStreamOptions,
  ResolvedEvent,
  SetStreamMetadataOptions,
  StreamMetadata,
  SubscribeToAllOptions,
} from '@kurrent/kurrentdb-client';
import type { LedgerNames } from './stream-names.ts';

/**
 * What the adapter uses of a KurrentDB client: seven calls of `@kurrent/kurrentdb-client`'s
 * KurrentDBClient, typed so the real client satisfies it as it is. Naming the surface keeps the
 * adapter honest about what it depends on, and lets the unit tests drive the adapter's own logic
 * through an in-process stand-in (test/store/kurrentdb/) without pretending to be KurrentDB.
 */
export interface EngineClient {
  multiStreamAppend(requests: AppendStreamRequest[]): Promise<MultiAppendResult>;
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<ResolvedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<AllStreamResolvedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): EngineSubscription;
  /** These two only to move the access log's `truncateBefore` past archived entries (src/access/kurrentdb/). */
  getStreamMetadata(streamName: string): Promise<GetStreamMetadataResult>;
  setStreamMetadata(streamName: string, metadata: StreamMetadata, options?: SetStreamMetadataOptions): Promise<AppendResult>;
  dispose(): Promise<void>;
}

/** The part of a `$all` subscription the adapter listens to: events, the end of the stream, errors. */
export interface EngineSubscription {
  on(event: 'data', listener: (event: AllStreamResolvedEvent) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end' | 'close', listener: () => void): this;
  unsubscribe(): Promise<void>;
}

/** One ledger in one engine, as every KurrentDB port of the backend sees it. */
export interface Engine {
  client: EngineClient;
  /** The engine's address as configured, credentials removed: every error names it. */
  address: string;
  /** The ledger's stream names in the engine. */
  names: LedgerNames;
}
