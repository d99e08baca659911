/**
 * The disk holding the ledger has no room for the write. Nothing was written; the same
 * request succeeds once space is freed, so callers answer 507 with Retry-After rather than
 * a 500. Backend adapters translate their own out-of-space errors into this.
 */
export class StorageFull extends Error {
  constructor(
    /** The directory whose disk is full. */
    readonly where: string,
    /** Bytes still available there, when known. */
    readonly freeBytes: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`the disk holding ${where} is full${freeBytes === undefined ? '' : ` (${freeBytes} bytes free)`}`, options);
  }
}

/** How long a client should wait before retrying a write refused for lack of space. */
export const STORAGE_FULL_RETRY_AFTER_SECONDS = 30;

export type StorageHealth = { writable: true } | { writable: false; since: string; reason: string };

export interface StorageHealthOptions {
  /** Bytes available to the ledger's writes now, or undefined when that cannot be told. */
  freeBytes: () => number | undefined;
  /** Free space that counts as room again (default 1 MiB: a few WAL pages and a checkpoint). */
  roomBytes?: number;
  /** How often a health check may look at the disk while it is full (default every second). */
  probeEveryMs?: number;
  now?: () => number;
}

/**
 * Whether the store can write, for /ready. Set by the writes themselves (a StorageFull marks
 * it full, any successful write clears it) and, while full, by a look at the free space, so
 * an instance that load balancers stopped sending writes to still notices the room coming
 * back. A cache of what this process saw; every process finds out for itself.
 */
export const createStorageHealth = ({ freeBytes, roomBytes = 1024 * 1024, probeEveryMs = 1000, now = Date.now }: StorageHealthOptions) => {
  let full: { since: string; reason: string } | undefined;
  let lastProbe = -Infinity;
  return {
    full(error: StorageFull) {
      full ??= { since: new Date(now()).toISOString(), reason: error.message };
      lastProbe = now();
    },
    wrote() {
      full = undefined;
    },
    current(): StorageHealth {
      if (full && now() - lastProbe >= probeEveryMs) {
        lastProbe = now();
        const free = freeBytes();
        if (free !== undefined && free >= roomBytes) full = undefined;
      }
      return full ? { writable: false, ...full } : { writable: true };
    },
  };
};
export type StorageHealthSignal = ReturnType<typeof createStorageHealth>;

/**
 * An out-of-space error from any writer: a StorageFull, or the raw error of a store that has
 * not translated its own (SQLite's SQLITE_FULL, Node's ENOSPC, or EDQUOT: a quota is full), for
 * the places that turn errors into answers (the HTTP error handler, src/files/ran-out-of-space.ts).
 */
export const isOutOfSpace = (error: unknown): boolean => {
  if (error instanceof StorageFull) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
};
