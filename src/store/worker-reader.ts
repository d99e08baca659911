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
  /**
   * The same function, for the thread that holds this source. It is not imported from `module`:
   * the `ledger` command may run as one bundled file that loads no TypeScript module by its URL
   * (src/bundle/command-bundle.js). Left out of what crosses into a worker (`forWorkers`).
   */
  openHere: OpenWorkerLedgerReader;
}

/** What of a source crosses into a worker thread: its plain data, without the function. */
export const forWorkers = ({ module, options }: WorkerReadSource): Omit<WorkerReadSource, 'openHere'> => ({ module, options });

export type OpenWorkerLedgerReader = (options: Record<string, unknown>) => WorkerLedgerReader;

/** Every event of the given types at positions [from, to], a page of at most `limit` at a time, in ledger order. */
export async function* pagesOfTypes(
  reader: WorkerLedgerReader,
  from: bigint,
  to: bigint,
  types: readonly string[],
  limit: number,
): AsyncGenerator<StoredEvent[]> {
  for (let next = from; ;) {
    const page = await reader.readTypes(next, to, types, limit);
    if (page.length > 0) yield page;
    if (page.length < limit) return;
    next = page.at(-1)!.position + 1n;
  }
}

export interface WorkerLedgerReader {
  /**
   * Up to `limit` events of the given types at positions [from, to], in order. Projections keyed
   * across streams read only a few types, scattered through the ledger: the backend skips the
   * rest where it stores them, without decoding or even copying them out. A page holds fewer than
   * `limit` only when no more events of these types lie in [from, to]: the caller goes on from the
   * last position + 1 until then. No types: nothing.
   */
  readTypes(from: bigint, to: bigint, types: readonly string[], limit: number): Promise<StoredEvent[]>;
  /** Every stream of the ledger, in name order: a rebuild folds one stream after another, each whole. */
  streams(): Promise<string[]>;
  /** The revision of a stream's first event at positions [from, to], if it has one there. */
  firstRevisionIn(stream: string, from: bigint, to: bigint): Promise<bigint | undefined>;
  /** How many of a stream's events stand at positions [from, to]. */
  countIn(stream: string, from: bigint, to: bigint): Promise<number>;
  /** Up to `limit` of one stream's events from a revision on, at positions up to `upTo`, in order. */
  readStream(stream: string, fromRevision: bigint, upTo: bigint, limit: number): Promise<StoredEvent[]>;
  close(): void;
}
