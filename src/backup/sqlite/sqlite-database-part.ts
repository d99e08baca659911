import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fsyncFile } from '../../files/durable-files.ts';
import { namingDamage } from '../../store/damaged-database.ts';
import type { BackupPart } from '../port.ts';

/**
 * A SQLite database of the data directory, copied consistently while other processes write to
 * it: `VACUUM INTO` reads the whole database in one read transaction (on WAL, writers carry on
 * meanwhile) and writes a compact copy. SQLite's step-wise backup API would restart each time
 * another connection commits, so under steady writes it may never finish; VACUUM INTO always
 * does, and costs about a file copy (measured: `npm run bench -- backup`).
 *
 * The copy has every transaction committed before its read began: every write acknowledged
 * before the backup started is in it.
 */
export const sqliteDatabasePart = (name: string, dataDir: string, relative: string): BackupPart => {
  const source = path.join(dataDir, relative);
  const open = () => new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  return {
    name,
    async estimateBytes() {
      if (!fs.existsSync(source)) return 0;
      const db = open();
      try {
        // The backup's first read of each file: a damaged one is named here, not in SQLite's words that name none.
        return namingDamage(source, () => {
          const pages = Number(db.pragma('page_count', { simple: true }));
          const free = Number(db.pragma('freelist_count', { simple: true }));
          return (pages - free) * Number(db.pragma('page_size', { simple: true }));
        });
      } finally {
        db.close();
      }
    },
    async copyInto(dataCopyDir) {
      if (!fs.existsSync(source)) return [];
      const target = path.join(dataCopyDir, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const db = open();
      try {
        db.pragma('busy_timeout = 5000');
        namingDamage(source, () => db.prepare('VACUUM INTO ?').run(target));
      } finally {
        db.close();
      }
      fsyncFile(target);
      return [relative];
    },
  };
};
