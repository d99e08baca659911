/**
 * What a verification found. One shape for the ledger (`ledger verify`, GET /ledger/verify)
 * and for an export (`ledger verify-export`), so an auditor reads both the same way.
 */
export type FailureKind =
  | 'position-gap' // an event is missing from the global order (a deleted row)
  | 'revision-gap' // a stream skips or repeats a revision (deleted, swapped or reordered events)
  | 'chain-broken' // an event's previous hash is not its predecessor's hash
  | 'event-hash-mismatch' // the stored event no longer hashes to its chain hash (edited data or metadata)
  | 'column-mismatch' // a query column (recorded_at, event_id, …) disagrees with the stored event
  | 'checkpoint-signature-invalid' // a checkpoint was not signed by the ledger key
  | 'checkpoint-root-mismatch' // the recomputed tree differs from a signed root (rewritten history)
  | 'checkpoint-beyond-ledger' // a checkpoint covers more events than the ledger holds (truncation)
  | 'checkpoint-inconsistent' // two checkpoints are not one growing tree
  | 'checkpoint-missing' // a checkpoint names a predecessor the ledger no longer holds (a deleted checkpoint)
  | 'checkpoint-series-broken' // a checkpoint's predecessor is not the one it was signed after (replaced, or one slipped in)
  | 'tree-index-damaged' // the stored Merkle nodes cannot produce a proof
  | 'merkle-node-mismatch' // a node of the Merkle node cache is missing, or does not match the events below it
  | 'storage-damaged' // the backend's own check of its storage failed (SQLite: integrity_check / quick_check)
  // a stored command result (what a retried Idempotency-Key is answered with) disagrees with the events it names
  | 'command-result-mismatch'
  | 'command-result-missing' // events whose command has no stored result: a retry would run the command again
  | 'command-result-past-end' // a stored result names events the ledger no longer holds: its end was cut off
  | 'schema-altered' // the ledger file's append-only triggers were dropped
  | 'kept-checkpoint-invalid' // a checkpoint kept outside the database is unreadable or not signed by the ledger key
  | 'kept-checkpoint-root-mismatch' // the ledger's tree at a kept checkpoint's size has another root (rewritten history)
  | 'kept-checkpoint-beyond-ledger' // the ledger holds fewer events than a kept checkpoint covers (truncated, or a missing ledger)
  | 'kept-checkpoint-missing' // the history matches a kept checkpoint but the database lost its row (checkpoints deleted)
  | 'inclusion-proof-invalid' // an exported event's proof does not lead to the signed root
  | 'not-in-checkpoint' // an exported event lies beyond the exported checkpoint
  | 'untrusted-key' // signed by a key other than the one the auditor trusts, and not one its key history vouches for
  | 'key-history-invalid' // a recorded key rotation does not hold (signatures, or the key it replaces)
  | 'key-not-endorsed' // signed by a key that replaced the trusted one without its endorsement (an operator's rotation after a lost key)
  | 'wrong-plan' // the export's events belong to another plan than the one it names
  | 'plan-head-invalid' // the export's signed plan head is missing, not the ledger's, or does not match its last event
  | 'malformed-export' // the file is not an export bundle
  | 'malformed-view' // the file is not a signed view
  | 'view-signature-invalid' // a signed view was changed after it was signed (or not signed by its key)
  | 'view-beyond-checkpoint' // a signed view includes a position its checkpoint's tree does not hold
  | 'view-differs' // the ledger, read again at a signed view's clocks, answers otherwise
  | 'view-not-read-again'; // the ledger could not read a signed view again: its read could not be recorded in the access log

export interface IntegrityFailure {
  kind: FailureKind;
  message: string;
  stream?: string;
  revision?: string;
  position?: string;
  checkpointTreeSize?: number;
  /** What should be there (e.g. the stored or signed hash, the expected revision). */
  expected?: string;
  /** What was found instead. */
  found?: string;
}

export interface VerifyReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  checkpointsChecked: number;
  /** Events in the ledger (or the checkpoint's tree size, for an export). */
  treeSize: number;
  /** The recomputed root of the whole ledger, hex (absent when verification stopped early). */
  rootHash?: string;
  failure?: IntegrityFailure;
  /**
   * Checkpoints from outside the database that the ledger was compared with: the copy kept
   * beside it and any the auditor supplied. Empty: only the database vouched for itself.
   */
  keptCheckpoints?: Array<{ source: string; treeSize: number }>;
  /** What the backend checked of its own beside the events and the tree (e.g. "SQLite integrity_check of ledger.db"). */
  backendChecks?: string[];
  /**
   * Where recordedAt went backwards in ledger order (a server clock that stepped back, in a
   * ledger written before ledger time prevented it): the events are intact, so this is not a
   * failure, but an `asOf` between those instants sees a ledger that never was. Absent when
   * ledger time never decreased.
   */
  clockAnomalies?: {
    stepsBack: number;
    listed: ClockStepBack[];
    /**
     * The backend keeps stamps as given and reads them at the ledger time (VerificationView): these are commands committed out
     * of stamp order, which no asOf sees as a mix.
     */
    stampsKept?: true;
  };
  /** The keys the ledger has signed with, when it ever rotated its key: how each came in. */
  keyHistory?: KeyHistoryEntry[];
}

/** One of the ledger's signing keys: the first, or one that replaced the key before it at a position in the ledger. */
export interface KeyHistoryEntry {
  keyId: string;
  /** The position of the rotation that brought it in (it signs every tree holding that position); null for the first key. */
  since: string | null;
  /** 'endorsed': the key before it signed the change; 'old-key-lost': the operator replaced a lost key, visibly unendorsed. */
  how: 'first' | 'endorsed' | 'old-key-lost';
  rotatedAt?: string;
  reason?: string;
}

/** Where recordedAt went backwards in ledger order: the event at `position` was recorded before the one before it. */
export interface ClockStepBack {
  position: string;
  previous: string;
  recordedAt: string;
}

export type ProgressListener = (eventsChecked: number, total: number) => void;
