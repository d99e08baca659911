import type { HistoryReads, HistoryStore, HistoryWrite } from '../history/storage/history-store.ts';

/**
 * The local read store (`<dataDir>/read-models.db`), separate from the ledger: each service
 * instance keeps its own, built from the shared ledger, and it can be deleted and rebuilt at
 * any time. Each projection's documents and its checkpoint change in one transaction, so
 * after a crash a projection is exactly at its checkpoint: no event applied twice, none
 * skipped. The implementation is SQLite (./sqlite/read-store.ts) whatever the ledger's backend.
 */
export interface Checkpoint {
  version: number;
  /** The last ledger position applied; -1 before the first event. */
  position: bigint;
}

/** A document as it stood after a given revision of its stream. */
export interface Snapshot {
  key: string;
  revision: number;
  recordedAt: string;
  /** The document's JSON, deflated (./snapshot-codec.ts). */
  doc: Uint8Array;
}

/**
 * A write refused because another process sharing the read store committed since this one
 * adopted it (`ReadStore.adopt`): what this process folded in memory may stand on what that
 * commit changed, so it is dropped and folded again from the store as it stands (runner.ts).
 */
export class ReadStoreMoved extends Error {
  constructor() {
    super('another process sharing the read store wrote to it: this fold starts again from the store as it stands');
  }
}

/** Keep the views, or start them again (with a reason for the log when they held something). */
export type BuiltFromVerdict = { keep: true } | { keep: false; reason?: string };

export interface ReadStore {
  readonly file: string;
  /** The history of the plan lines, in the same file (projections/history/history-store.ts). */
  readonly history: HistoryStore;
  checkpoint(projection: string): Checkpoint | undefined;
  loadDocument(projection: string, key: string): string | undefined;
  documents(projection: string): IterableIterator<string>;
  /** The latest snapshot of a document recorded at or before the instant, if any. */
  latestSnapshot(projection: string, key: string, recordedBy: string): Snapshot | undefined;
  /** The latest snapshot of a document at or before a revision of its stream, if any. */
  snapshotAtOrBefore(projection: string, key: string, revision: number): Snapshot | undefined;
  /**
   * This process's folds start from the store as it stands now. Several processes may share
   * one read store (a data dir shared on one machine), and each folds the ledger: once another
   * connection commits after this, `save`, `saveText` and `together` refuse with
   * ReadStoreMoved until this process adopts the store again, so a fold that started from an
   * older state (its documents, its history's blocks and value ids) never overwrites a newer one.
   */
  adopt(): void;
  /** Whether another connection has committed since `adopt`: what this process keeps in memory may be behind. */
  movedElsewhere(): boolean;
  /** Writes the changed documents, new snapshots, the history they made and the new checkpoint atomically. */
  save(
    projection: string,
    checkpoint: Checkpoint,
    documents: Iterable<[string, unknown]>,
    snapshots?: Snapshot[],
    history?: HistoryWrite,
  ): void;
  /** The same, for documents already serialised (a parallel rebuild's workers send JSON text). */
  saveText(
    projection: string,
    checkpoint: Checkpoint,
    documents: Iterable<[string, string]>,
    snapshots?: Snapshot[],
    history?: HistoryWrite,
  ): void;
  /**
   * Runs `work` as one transaction that may wait between its saves: they commit together when
   * it resolves, or not at all. A parallel rebuild writes each worker's answer to a chunk as it
   * arrives, so this thread never holds two; the read store has no other writer meanwhile.
   */
  together<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Notes, in the current transaction, that a parallel rebuild has folded every event of these
   * streams up to `through` (parallel-rebuild.ts): its checkpoints move only once every stream
   * is folded, and a rebuild resumed after a crash or a stop folds each stream from there.
   */
  noteRebuilt(streams: Iterable<string>, through: bigint): void;
  /** Forgets those notes: the rebuild is done (its checkpoints moved with this), or its work is to be done again. */
  forgetRebuilt(): void;
  /** Forgets a projection's documents (and the history, for the projection that keeps it) and sets it back to before the first event. */
  reset(projection: string, version: number, withHistory?: boolean): void;
  /**
   * The chain hash of the first event of the ledger these views were built from, or undefined
   * when none was recorded (a new store, or one made before stores recorded it). A data dir can
   * be pointed at another ledger (LEDGER_STORE changed, the ledger replaced): this is how its
   * views are told apart from views of this ledger (./ledger-guard.ts).
   */
  builtFrom(): string | undefined;
  recordBuiltFrom(firstEventHash: string): void;
  /** The furthest checkpoint of any projection; -1 when nothing has been applied. */
  furthestPosition(): bigint;
  /**
   * In one write transaction (so processes sharing the file decide once): `judge` sees which
   * ledger the views were built from and the furthest checkpoint of any projection (-1 when
   * nothing has been applied). Unless it keeps them, every projection's documents, snapshots,
   * checkpoint and the history of the plan lines are forgotten and `firstEventHash` (this ledger's, when it has events) recorded.
   */
  judgeBuiltFrom(
    judge: (builtFrom: string | undefined, furthest: bigint) => BuiltFromVerdict,
    firstEventHash: string | undefined,
  ): BuiltFromVerdict;
  close(): void;
}

/** Read-only access to the documents and the history, for a rebuild's worker threads. */
export interface DocumentReader {
  loadDocument(projection: string, key: string): string | undefined;
  /** How far an unfinished parallel rebuild has folded a stream (ReadStore.noteRebuilt), if it has. */
  rebuiltThrough(stream: string): bigint | undefined;
  history: HistoryReads;
  close(): void;
}
