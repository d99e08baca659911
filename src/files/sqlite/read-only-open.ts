import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { keptReadOnly } from './kept-read-only.ts';

/** SQLite's URI form of an absolute path with these parameters, the characters a URI gives meaning to escaped. */
const uri = (file: string, parameters: string) =>
  `file:${file.replace(/[?#%]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}?${parameters}`;

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
export const openForReading = (file: string): Database.Database => {
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
