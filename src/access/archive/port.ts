import type { LoggedAccess } from '../port.ts';

/** One archived period of the access log, as the live store records it. */
export interface ArchiveRecord {
  /** The calendar month, UTC: "2026-10". */
  period: string;
  firstId: number;
  lastId: number;
  count: number;
  /** The segment's chain hash before its first entry (the previous segment's final hash; zeros for the first). */
  previousHash: string;
  /** The chain hash after its last entry. */
  finalHash: string;
  /** The segment file, relative to the archive folder. */
  file: string;
  fileSha256: string;
  archivedAt: string;
  archivedBy: string;
}

/**
 * What archiving the access log needs from the store that keeps it: the live entries by id,
 * the record of what was archived, and the removal of archived entries from the live store,
 * which the store allows only for entries an archive record covers (so a deletion outside an
 * archive stays impossible, and one done behind the store's back shows as a gap no archive
 * explains). Implementations: src/access/sqlite/ (rows of access-log.db, removal guarded by a
 * trigger) and src/access/kurrentdb/ (an archive stream, removal by the access-log stream's
 * truncateBefore).
 */
export interface AccessLogRetention {
  /** The live entries' smallest and largest id and how many there are (undefined when none). */
  liveRange(): Promise<{ firstId: number; lastId: number; count: number } | undefined>;
  /** How many live entries have an id of at least `firstId`. */
  liveCountFrom(firstId: number): Promise<number>;
  /** The smallest live id of at least `fromId` recorded at or after `instant` (ISO), or undefined. */
  firstIdAtOrAfter(instant: string, fromId: number): Promise<number | undefined>;
  /** Live entries with ids in [firstId, lastId], in id order. */
  entries(firstId: number, lastId: number): AsyncIterable<LoggedAccess>;
  /** Every archive record, oldest first. */
  archives(): Promise<ArchiveRecord[]>;
  /**
   * Records an archive (durably), then removes the live entries it covers. Given a record that
   * is already there (a run stopped between the two), it only finishes the removal.
   */
  recordArchive(record: ArchiveRecord): Promise<void>;
  /**
   * Gives the space of removed entries back to the disk (the embedded store: VACUUM, which holds
   * writes meanwhile) and says what it did.
   */
  compact(): Promise<string>;
}
