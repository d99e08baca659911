import type { Checkpoint } from './checkpoint.ts';
import type { ChainCheckRequest, ChainSliceResult } from './chain-check.ts';
import type { IntegrityFailure } from './verify-report.ts';

/**
 * The integrity port: what the generic integrity services (src/integrity: checkpoints,
 * proofs, verify, export, and later `ledger copy`) need from a backend beside its event
 * store. Each backend implements it once (SQLite in src/integrity/sqlite/) and passes the
 * contract suite in test/integrity/contract.ts.
 *
 * Chain hashes are not computed here: the event store computes each event's hash on append
 * with the one shared function (event-hash.ts) and every stored event carries it. This port
 * reads them back by dense ledger position, which is what makes them Merkle leaves.
 *
 * Positions and tree sizes are bigint on the port. Checkpoint values keep the JSON shape the
 * API documents (treeSize a JSON number): a signed checkpoint's text must not change shape.
 */
export interface IntegrityStore {
  /**
   * The number of leaves the ledger claims: its highest dense position + 1 (0 when empty).
   * Positions are dense, 0..n-1, on every backend; an event missing in the middle is then a
   * gap that verify names, never a smaller tree.
   */
  ledgerSize(): Promise<bigint>;

  /** Up to `limit` leaves from position `from` on, in position order, as stored (a missing hash is damage). */
  leafHashes(from: bigint, limit: number): Promise<LeafHash[]>;

  /** Where an event sits in the tree, by its id. */
  locateEvent(eventId: string): Promise<{ position: bigint; hash: string } | undefined>;

  /** A stream's last event: its revision and chain hash. */
  streamHead(stream: string): Promise<StreamHead | undefined>;

  /** Every stream's last event, in stream-name order: what a copy compares between two ledgers. */
  streamHeads(): AsyncIterable<StreamHead>;

  /** Signed checkpoints, append-only, at most one per tree size. */
  readonly checkpoints: CheckpointStore;

  /** The Merkle tree's stored subtrees: derived data the generic tree code fills and reads. */
  readonly merkleNodes: MerkleNodeCache;

  /**
   * Runs `check` on one consistent view of the ledger (SQLite: one read transaction), so the
   * size, the checkpoints and the chains it sees belong together.
   */
  verification<T>(check: (view: VerificationView) => Promise<T>): Promise<T>;

  /** Waits for work in progress, then releases what the port holds. */
  close(): Promise<void>;
}

export interface LeafHash {
  position: bigint;
  hash: string | null;
}

export interface StreamHead {
  stream: string;
  revision: bigint;
  hash: string;
}

export interface CheckpointStore {
  /** Every checkpoint, smallest tree first. */
  all(): Promise<Checkpoint[]>;
  /** Checkpoints with a tree size above `after`, smallest first: keyset pages for the API. */
  page(after: bigint, limit: number): Promise<Checkpoint[]>;
  latest(): Promise<Checkpoint | undefined>;
  /** The smallest checkpoint whose tree holds at least `size` events. */
  covering(size: bigint): Promise<Checkpoint | undefined>;
  /**
   * Keeps a signed checkpoint exactly as given (a copy between ledgers inserts the source's).
   * False when one of that tree size already exists (another instance signed it first).
   */
  insert(checkpoint: Checkpoint): Promise<boolean>;
  /**
   * Keeps a newly signed checkpoint only if the latest stored is still the one it names as its
   * predecessor (none stored, when it names none), in one atomic step: several instances sign,
   * and the checkpoints must stay one series. False when another was stored first: the signer
   * then signs again after that one, if the ledger still needs it.
   */
  append(checkpoint: Checkpoint): Promise<boolean>;
}

/** A stored perfect subtree: leaves [index·2^level, (index+1)·2^level), level ≥ 1. */
export interface MerkleNode {
  level: number;
  index: number;
  hash: Buffer;
}

/**
 * The Merkle tree's perfect subtrees, kept locally and synchronously (proofs recurse over
 * them): in ledger.db for SQLite, in a rebuildable local file for a remote backend. It is
 * derived data: verify recomputes every stored node from the events, and the tree index
 * checks each node it uses against its children. Indexes are numbers here, inside one
 * machine's cache; 2^53 leaves is far beyond any ledger.
 */
export interface MerkleNodeCache {
  /** A subtree of level ≥ 1, if stored. */
  node(level: number, index: number): Buffer | undefined;
  /**
   * Level 0: the chain hash of the event at `position` as the local copy holds it; null when
   * the event is there without a hash, undefined when there is no event there.
   */
  leaf(position: number): string | null | undefined;
  /** Leaves whose every perfect subtree is stored (a multiple of 2, or 0). */
  indexedSize(): number;
  /**
   * Stores the nodes atomically. A node already stored is kept as it is; where it differs
   * from the one given, the stored one is returned (every node is a pure function of the
   * events, so a difference is damage for the caller to report and repair).
   */
  store(nodes: MerkleNode[]): MerkleNode[];
  /** Overwrites the nodes at their places: the repair of damaged nodes. */
  replace(nodes: MerkleNode[]): void;
  /** Up to `limit` stored nodes of one level from `fromIndex` on, in index order: what verify reads to check them all. */
  nodesAt(level: number, fromIndex: number, limit: number): MerkleNode[];
  /** Drops every stored node that covers a leaf at or beyond `size`: nodes for leaves the ledger does not hold are damage. */
  prune(size: number): MerkleNode[];
}

/** One consistent view of the ledger for `verify`. */
export interface VerificationView {
  /** ledgerSize() in this view. */
  size: bigint;
  /** The checkpoints in this view, smallest tree first. */
  checkpoints: Checkpoint[];
  /** How many distinct streams the ledger holds. */
  streamCount(): Promise<bigint>;
  /**
   * Set where the backend keeps each event's recordedAt as its writer stamped it and reads it at
   * the ledger time (KurrentDB: docs/backends.md), so a stamp earlier than the one before it is a
   * command committed after a later-stamped one, which every `asOf` reads alike, not a clock that
   * stepped back before ledger time was kept.
   */
  stampsKept?: true;
  /**
   * Checks every event's chain link in [0, size), in slices the backend chooses (see
   * chain-check.ts for the slicing rule and what a slice must check), and returns the slices'
   * results in ledger order. Backend-specific checks (SQLite: the query columns against the
   * stored body) happen here. The generic verify joins the slices into the Merkle tree.
   */
  checkChains(request: ChainCheckRequest): Promise<ChainSliceResult[]>;
  /**
   * The backend's own checks of its storage and of what it keeps beside the events, for this
   * view's first `size` events; verify starts them with checkChains and awaits both. SQLite:
   * PRAGMA integrity_check (`full`) or quick_check (`quick`) of the ledger file, every command
   * result against the events it names, the append-only triggers. A backend with nothing of
   * its own to check answers `{ checked: [] }`.
   */
  backendChecks(request: BackendCheckRequest): Promise<BackendCheckReport>;
  /**
   * An error met while reading this view (through either port), as the backend's storage
   * failing, when it is that (SQLite: "database disk image is malformed"): verify reports it
   * as damage instead of failing with it. Undefined for any other error.
   */
  storageFailure?(error: unknown): IntegrityFailure | undefined;
}

export interface BackendCheckRequest {
  size: bigint;
  /** How thoroughly the backend checks its own storage, where it can: `full` (the default) or `quick`. */
  storage: 'full' | 'quick';
}

export interface BackendCheckReport {
  /** What was checked, in words, for the report ("SQLite integrity_check of ledger.db", …). */
  checked: string[];
  /** Damage to the storage itself: reported before anything else, which it may explain. */
  storage?: IntegrityFailure;
  /** A finding about what the backend keeps beside the events (command results, its guards): reported after the events' own. */
  records?: IntegrityFailure;
}
