import fs from 'node:fs';
import { openForReading } from '../../files/sqlite/read-only-open.ts';
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
