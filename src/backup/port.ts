import type { IntegrityStore } from '../integrity/port.ts';
import type { EventStore } from '../store/port.ts';
import type { WorkerReadSource } from '../store/worker-reader.ts';

/**
 * One thing a backup carries: a database, a file, a folder of files. A backup is the list of
 * parts the backend and each feature contribute (src/backup/backup-parts.ts), copied in order
 * into the backup's copy of the data directory; restore puts every file back at the same
 * relative path. A new kind of data (evidence files, say) joins backups by adding its part.
 */
export interface BackupPart {
  /** For messages: "the ledger (ledger.db)". */
  readonly name: string;
  /** About how many bytes the copy will take, for the space check before anything is written. */
  estimateBytes(): Promise<number>;
  /**
   * Writes the part's files under `dataCopyDir` (the backup's copy of the data directory),
   * each consistent on its own while the service keeps writing, flushed to disk. Returns the
   * relative paths written (none when the part has nothing yet, e.g. no access-log archive).
   */
  copyInto(dataCopyDir: string): Promise<string[]>;
}

/**
 * What a backend gives backups: its shared parts, and a way to open a backup's copy as a
 * ledger, so the copy is verified and described by the same code as the live ledger. A
 * backend whose engine has its own backup procedure (KurrentDB) gives none: its ledger is
 * backed up by that procedure (docs/operations.md).
 */
export interface BackupSource {
  /** The backend's parts, in the order they are copied. */
  parts(): BackupPart[];
  /** Opens the ledger in a backup's copy of the data directory, read for verification. */
  openCopy(dataCopyDir: string): Promise<LedgerCopy>;
}

/** A ledger opened from a backup's files (a backend, as far as backups need one). */
export interface LedgerCopy {
  events: EventStore;
  integrity: IntegrityStore;
  /** Set when worker threads can read it, so a rebuild of its read models folds in parallel. */
  workerReads?: WorkerReadSource | undefined;
  close(): Promise<void>;
}
