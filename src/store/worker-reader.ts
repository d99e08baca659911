import type { StoredEvent } from '../../events/envelope.ts';

/**
 * How worker threads read the ledger themselves, when a backend offers it (SQLite: each
 * thread opens the file read-only). A long rebuild of the read models then folds in several
 * threads at once. Functions cannot cross into a thread, so the backend names a module and
 * the plain-data options to open it with; the thread imports the module and calls
 * `openWorkerLedgerReader(options)`.
 */
export interface WorkerReadSource {
  /** URL of a module exporting `openWorkerLedgerReader: OpenWorkerLedgerReader`. */
  module: string;
  /** Structured-cloneable options for it (e.g. the ledger file). */
  options: Record<string, unknown>;
}

export type OpenWorkerLedgerReader = (options: Record<string, unknown>) => WorkerLedgerReader;

export interface WorkerLedgerRange {
  /** Events read, wanted or not: progress counts these. */
  read: number;
  /** The position of the last event read, or undefined when none was. */
  last: bigint | undefined;
  /** The events of wanted streams, in position order. */
  events: StoredEvent[];
}

export interface WorkerLedgerReader {
  /**
   * Up to `limit` events at positions [from, to] in order; only those `wanted` accepts (by
   * stream and type) are decoded and returned (each thread folds its own share of the streams,
   * and decoding the rest would be wasted work).
   */
  readRange(from: bigint, to: bigint, limit: number, wanted: (stream: string, type: string) => boolean): Promise<WorkerLedgerRange>;
  /** One stream's events at positions up to `upTo`, in order (a rebuild works a plan's history out again from them). */
  readStream(stream: string, upTo: bigint): Promise<StoredEvent[]>;
  close(): void;
}
