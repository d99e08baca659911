import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './connection.ts';
import { namingDamage } from '../damaged-database.ts';
import { missingDerivedNames, SCHEMA_VERSION, SchemaTooNew } from './schema.ts';

/** The file is there but holds no ledger: 0 bytes (emptied, or made by `touch`), or a SQLite file without the ledger's tables. */
export class NotALedger extends Error {
  constructor(
    readonly file: string,
    readonly bytes: number,
  ) {
    super(
      bytes === 0
        ? `${file} is empty (0 bytes): it holds no events and not even the ledger's tables, which every ledger has from its ` +
            'first open: it was emptied or replaced'
        : `${file} holds no ledger: SQLite reads it, but it has none of the ledger's tables`,
    );
  }
}

/**
 * A ledger file the next process to open it for writing brings up to date, which one that may change nothing cannot: written by
 * an earlier release, or with what is derived from the events dropped by hand (src/store/sqlite/schema.ts).
 */
export class LedgerNotUpToDate extends Error {}

export class SchemaTooOld extends LedgerNotUpToDate {
  constructor(
    readonly file: string,
    readonly found: number,
  ) {
    super(
      `${file} is at schema version ${found}, older than this release's ${SCHEMA_VERSION}, and a read-only open does not bring it ` +
        'up to date: check it with the release that wrote it, or let this release open it for writing once (`ledger serve`) first',
    );
  }
}

/** SQLite's URI form of an absolute path with these parameters, the characters a URI gives meaning to escaped. */
const uri = (file: string, parameters: string) =>
  `file:${file.replace(/[?#%]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}?${parameters}`;

/**
 * A file or folder to be left exactly as it is: this process may not write it, or nobody may (`chmod a-w`: root, whom
 * permissions do not stop, is held to the mode, which is what says so).
 */
export const keptReadOnly = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return (fs.statSync(file).mode & 0o222) === 0;
  } catch {
    return true;
  }
};

/**
 * Opens a SQLite ledger file for reading only, creating and changing nothing beside it. In WAL mode a reader needs the
 * -wal and -shm files:
 * - Where there is a -wal (a process has the file open, or left it), SQLite reads it. In a folder kept read-only the -shm is
 *   opened read-only (readonly_shm) and SQLite keeps the WAL's index in its own memory, as it must where it may not write
 *   the -shm; elsewhere the -shm is shared with a running service's readers and writers, as every reader shares it.
 * - Where there is none, every commit is in the file itself, but an ordinary read-only open would still create an empty
 *   -wal and a -shm (and fail where it may not): so the file is opened immutable, which reads it without them and takes no
 *   locks. That is sound only while nothing writes the file, which a caller that must know checks with `unchangedSince`.
 * Both need SQLite's URI file names, which bin/ledger.js turns on; where they are off the ordinary read-only open is used.
 */
export const openForReading = (file: string): Db => {
  const parameters = !fs.existsSync(`${file}-wal`)
    ? 'immutable=1'
    : keptReadOnly(path.dirname(file)) || keptReadOnly(`${file}-shm`)
      ? 'mode=ro&readonly_shm=1'
      : undefined;
  if (parameters) {
    try {
      return new Database(uri(file, parameters), { readonly: true, fileMustExist: true });
    } catch (error) {
      // URI file names are off in this process: the name was taken as a plain file's, which is not there.
      if ((error as { code?: unknown }).code !== 'SQLITE_CANTOPEN') throw error;
    }
  }
  return new Database(file, { readonly: true, fileMustExist: true });
};

/** What a writer changes in a file: compared before and after a read that took no locks. */
export interface FileState {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}
export const fileState = (file: string): FileState => {
  const s = fs.statSync(file);
  return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino };
};
export const unchangedSince = (file: string, before: FileState): boolean => {
  const now = fileState(file);
  return now.size === before.size && now.mtimeMs === before.mtimeMs && now.ctimeMs === before.ctimeMs && now.ino === before.ino;
};

/**
 * A ledger file opened for reading only (openForReading), checked to be a ledger at this release's schema: nothing is
 * created, migrated or put back. A file that is no ledger (NotALedger), of a later schema (SchemaTooNew), or one a writer
 * would bring up to date first (LedgerNotUpToDate) is refused, and a damaged one named (DamagedDatabase).
 */
export const openReadOnlyLedger = (file: string, busyTimeoutMs = 5000): Db => {
  const bytes = fs.statSync(file).size;
  if (bytes === 0) throw new NotALedger(file, 0);
  const db = namingDamage(file, () => openForReading(file));
  try {
    namingDamage(file, () => {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw new SchemaTooNew(version, SCHEMA_VERSION);
      if (version === 0) throw new NotALedger(file, bytes);
      if (version < SCHEMA_VERSION) throw new SchemaTooOld(file, version);
      const missing = missingDerivedNames(db, version);
      if (missing.length > 0)
        throw new LedgerNotUpToDate(
          `${file} lacks ${missing.join(' and ')} (dropped by hand; worked out from the events, which the next process to open ` +
            'it for writing puts back), and a read-only open puts back nothing: let this release open it (or a copy of it) for ' +
            'writing once (`ledger serve`) first',
        );
    });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};
