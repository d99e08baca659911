import path from 'node:path';

/** SQLite's codes for a file it cannot read as a database: pages damaged, the file cut short, or something else written over it. */
const DAMAGE_CODE = /^SQLITE_(CORRUPT|NOTADB)/;

/**
 * What to do about each damaged file. The data directory holds several SQLite files, and which one is damaged decides the
 * remedy: the views and this installation's history are rebuilt or not needed, everything else is restored from a backup.
 */
const REMEDY: Readonly<Record<string, string>> = {
  'read-models.db':
    'it holds only the views, which are rebuilt from the ledger: move it (and its -wal and -shm files) aside and start again',
  'operations.db':
    "it holds only this installation's backup and verify history: move it (and its -wal and -shm files) aside and start again",
};
const RESTORE = 'restore the data directory from a backup (`ledger restore`, docs/operations.md), then run `ledger verify` on it';

/** A SQLite file in the data directory that SQLite cannot read, named: SQLite's own words never say which file. */
export class DamagedDatabase extends Error {
  constructor(
    readonly file: string,
    readonly sqliteMessage: string,
    options: { cause: unknown },
  ) {
    super(`${file} is damaged: SQLite cannot read it (${sqliteMessage}); ${REMEDY[path.basename(file)] ?? RESTORE}`, options);
    this.name = 'DamagedDatabase';
  }
}

const isDamage = (error: unknown): error is Error & { code: string } => {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && DAMAGE_CODE.test(code);
};

/** Runs the first reads of `file` (what opening it does), turning SQLite's word that it is damaged into one naming the file. */
export const namingDamage = <T>(file: string, open: () => T): T => {
  try {
    return open();
  } catch (error) {
    if (isDamage(error)) throw new DamagedDatabase(file, `${error.message}, ${error.code}`, { cause: error });
    throw error;
  }
};
