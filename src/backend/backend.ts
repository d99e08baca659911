import path from 'node:path';
import type { AccessLog, KeyStore } from '../access/port.ts';
import type { BlobStore } from '../blobs/port.ts';
import type { IntegrityStore } from '../integrity/port.ts';
import type { BackupSource } from '../backup/port.ts';
import type { AccessLogRetention } from '../access/archive/port.ts';
import type { OperationsStore } from '../operations/port.ts';
import type { LearnedAliasStore } from '../organisations/port.ts';
import type { ClockBehind } from '../store/ledger-time.ts';
import type { AppendDurability, EventStore } from '../store/port.ts';
import type { StorageHealth } from '../store/storage-full.ts';
import type { WorkerReadSource } from '../store/worker-reader.ts';
import type { BackendKind, StoreSetting } from './store-setting.ts';

/**
 * One backend: everything that must agree across service instances on one ledger, behind
 * ports. `serve` and every CLI command get their stores from openBackend (open-backend.ts)
 * and nothing else opens a ledger. What each instance keeps for itself (the read models, the
 * signing key file, the kept checkpoint) lives in the data dir, whatever the backend.
 *
 * Parts open on first use: a command that only manages keys never touches the ledger.
 */
export interface Backend {
  readonly kind: BackendKind;
  /** Names the ledger in logs and messages, e.g. "SQLite ledger /srv/data/ledger.db". */
  readonly description: string;
  /** The ledger's events. */
  readonly events: EventStore;
  /** Chain heads, Merkle leaves, signed checkpoints and the backend's part of verify. */
  readonly integrity: IntegrityStore;
  /** API keys and their revocations. */
  readonly keys: KeyStore;
  /** The durable record of reads of sensitive detail. */
  readonly accessLog: AccessLog;
  /** Organisations and aliases the ledger has learned. */
  readonly learnedAliases: LearnedAliasStore;
  /** Archiving of the access log's closed periods (docs/operations.md#access-log-retention). */
  readonly accessLogRetention: AccessLogRetention;
  /** Scheduled-task claims (one instance per scheduled backup) and the outcome of backups and verifications. */
  readonly operations: OperationsStore;
  /**
   * What `ledger backup` copies of this backend, and how it opens a backup's copy to verify it;
   * undefined for a backend whose engine has its own backup procedure (docs/operations.md).
   */
  readonly backup?: BackupSource;
  /**
   * Evidence files by sha256. On every backend the filesystem store for now, in the folder the
   * options name: shared by every instance only if they all mount it (docs/evidence.md).
   */
  readonly blobs: BlobStore;
  /**
   * Set when worker threads can read the ledger themselves (SQLite: the file), so a long
   * rebuild of the read models can be folded by several threads; undefined otherwise.
   */
  readonly workerReads: WorkerReadSource | undefined;
  /**
   * Whether the ledger can take writes now, for /ready (the embedded store: false after an
   * append failed for lack of disk space, until there is room again). A backend that cannot
   * tell leaves it out, and /ready reports only what it can.
   */
  readonly storageHealth?: () => StorageHealth;
  /** Closes every part that was opened, the event store after everything that may still append or read. */
  close(): Promise<void>;
}

export interface BackendOptions {
  /** The data dir: the embedded ledger's home, and every backend's local state. */
  dataDir: string;
  /**
   * False for commands that must find an existing ledger (`verify`, `export`): the opener
   * throws NoLedger instead of creating an empty one. Default true.
   */
  create?: boolean;
  /**
   * Reads the ledger without changing anything (`ledger verify`): on the embedded store the ledger file is opened read-only,
   * nothing is created in the data dir (no folder, no -wal or -shm, no schema), and the Merkle nodes verify works out stay in
   * memory. Only the ledger's reads are meant for it: the parts beside the ledger open as usual when asked for.
   */
  readOnly?: boolean;
  /** Where evidence files are kept (default: evidence/ in the data dir). */
  evidenceDir?: string;
  /** Events per read query, where the backend reads in pages (rebuilds read larger pages). */
  readPageSize?: number;
  /**
   * Told when an append's clock read earlier than the ledger's time: on SQLite its events were
   * recorded at the ledger's time, on KurrentDB they keep their stamp and an `asOf` reads them at
   * the ledger's time (src/store/ledger-time.ts); the default warns on stderr.
   */
  onClockBehind?: (report: ClockBehind) => void;
  /** Told after each group commit how many appends shared it, where the backend group-commits (SQLite). */
  onAppendBatch?: (requests: number) => void;
  /** When appends become durable (AppendDurability): 'at-close' only for a bulk load that can redo what it loses (`ledger copy`). */
  appendDurability?: AppendDurability;
}

/** The evidence folder when none is configured: beside the ledger in the data dir. */
export const evidenceDirOf = (dataDir: string) => path.join(dataDir, 'evidence');

/** Opens one kind of backend; openBackend picks it by LEDGER_STORE. */
export type BackendOpener<S extends StoreSetting = StoreSetting> = (setting: S, options: BackendOptions) => Promise<Backend>;

/** There is no ledger where the configuration points, and the command will not create one. */
export class NoLedger extends Error {
  constructor(readonly where: string) {
    super(`no ledger at ${where}`);
  }
}

/** The configured backend cannot be used by this build or cannot be reached; the message is one line for the operator. */
export class BackendUnavailable extends Error {}
