import type { Readable } from 'node:stream';

/**
 * The blob-store port: evidence files, kept by the SHA-256 of their bytes (content addressed),
 * so the same file stored twice is kept once and a file is named by what it is. Every service
 * instance on one ledger must reach the same blob store (the filesystem store on a volume they
 * share; object storage is another implementation of this port). The ledger's events say which
 * blobs exist and what they are; the store only keeps bytes.
 *
 * The order that keeps "no event without its file": stage (write and hash), inspect, commit
 * (durably in place under its hash), and only then append the event. A crash between commit
 * and append leaves a blob nothing references; `sweep` removes those once they are older than
 * a grace period no upload in flight can outlive.
 */
export interface BlobStore {
  /** Names the store in logs and messages, e.g. "evidence files in /srv/ledger/evidence". */
  readonly description: string;
  /** Streams bytes into a staging area while hashing them; refuses (BlobTooLarge) past maxBytes. */
  stage(source: AsyncIterable<Uint8Array>, limits: { maxBytes: number }): Promise<StagedBlob>;
  /** What is stored under a hash, or undefined. */
  stat(sha256: string): Promise<BlobInfo | undefined>;
  /** The stored bytes, or undefined when there is no blob with that hash. The caller checks the hash as it reads. */
  open(sha256: string): Promise<Readable | undefined>;
  /** Every stored blob (not staged ones), in no particular order: for backups, copies and verify. */
  list(): AsyncIterable<BlobInfo>;
  /** Removes a blob's bytes for good (an erasure); false when there was none. Durable before it resolves. */
  remove(sha256: string): Promise<boolean>;
  /**
   * Puts back bytes whose hash is known (a restore from a backup, a copy from another ledger):
   * refused with BlobHashMismatch, and nothing kept, when the bytes are not that hash's.
   */
  restore(sha256: string, source: AsyncIterable<Uint8Array>): Promise<BlobInfo>;
  /**
   * Removes blobs stored before `storedBefore` that `isReferenced` says nothing needs, and
   * staged files abandoned before then, without ever removing a blob an upload has just put
   * back in place (see the implementation).
   */
  sweep(options: SweepOptions): Promise<SweepReport>;
}

export interface BlobInfo {
  sha256: string;
  size: number;
  /** When the bytes were last put in place: a blob committed again by a second upload of the same file is younger. */
  storedAt: Date;
}

/** Bytes written and hashed, not yet in place: inspect them, then commit or discard. */
export interface StagedBlob {
  readonly sha256: string;
  readonly size: number;
  /** A local file holding the staged bytes, to inspect (type checks) before committing. */
  readonly file: string;
  /**
   * Puts the bytes in place under their hash, flushed to disk with their directory. If the
   * same content is already there it is replaced by these identical bytes, so its age starts
   * again: a sweep deciding about the old copy cannot remove what this upload relies on.
   * Resolves with the time the bytes were put in place. Calling it again re-commits.
   */
  commit(): Promise<Date>;
  /** Drops staged bytes that were not committed; harmless after commit. */
  discard(): Promise<void>;
}

export interface SweepOptions {
  /** Blobs and staged files last put in place before this instant may go. */
  storedBefore: Date;
  /** True when the ledger references the blob and has not erased it: it stays. */
  isReferenced: (sha256: string) => boolean | Promise<boolean>;
}

export interface SweepReport {
  /** Unreferenced blobs removed. */
  removed: string[];
  /** Staged files abandoned by uploads that never finished. */
  abandonedStaged: number;
  /** Blobs an upload put back in place while the sweep decided about them: kept. */
  keptAfterRecommit: number;
}

/** More bytes than the limit: the upload is refused (413) and nothing is kept. */
export class BlobTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
  }
}

/** Restored bytes that do not hash to the hash they were restored under. */
export class BlobHashMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super(`the bytes hash to ${found}, not to ${expected}`);
  }
}

export const isSha256 = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);
