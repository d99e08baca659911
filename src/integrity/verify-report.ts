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
  | 'tree-index-damaged' // the stored Merkle nodes cannot produce a proof
  | 'inclusion-proof-invalid' // an exported event's proof does not lead to the signed root
  | 'not-in-checkpoint' // an exported event lies beyond the exported checkpoint
  | 'untrusted-key' // the export is signed by a key other than the one the auditor trusts
  | 'malformed-export'; // the file is not an export bundle

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
}

export type ProgressListener = (eventsChecked: number, total: number) => void;
