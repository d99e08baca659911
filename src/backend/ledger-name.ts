import fs from 'node:fs';
import path from 'node:path';
import { describeStoreSetting, parseStoreSetting, type StoreSetting } from './store-setting.ts';

/**
 * A ledger named on a command line (`ledger copy --from … --to …`): a KurrentDB connection
 * string (`kurrentdb://…`, `kurrentdb+discover://…`) names a ledger on that engine; anything
 * else is the data directory of an embedded ledger, the directory that holds its ledger.db,
 * as `ledger serve --data-dir` takes it.
 */
export interface NamedLedger {
  setting: StoreSetting;
  /** The embedded ledger's data directory, resolved; undefined for KurrentDB. */
  dataDir: string | undefined;
  /** For messages: the directory, or the connection string without its password. */
  label: string;
}

/** The argument could not name a ledger; the message says what it may be. */
export class BadLedgerName extends Error {}

const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

export const parseLedgerName = (value: string): NamedLedger => {
  if (value.trim() === '')
    throw new BadLedgerName('a ledger is named by a data directory or a kurrentdb:// connection string; got nothing');
  if (LOOKS_LIKE_URL.test(value)) {
    let setting: StoreSetting;
    try {
      setting = parseStoreSetting(value);
    } catch (error) {
      throw new BadLedgerName(`${value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}: ${(error as Error).message}, or a data directory`);
    }
    return { setting, dataDir: undefined, label: describeStoreSetting(setting) };
  }
  const dataDir = path.resolve(value);
  if (fs.existsSync(dataDir) && !fs.statSync(dataDir).isDirectory())
    throw new BadLedgerName(
      `${dataDir} is a file: name the data directory that holds the ledger (${path.dirname(dataDir)}), as ledger serve --data-dir takes it`,
    );
  return { setting: { kind: 'sqlite' }, dataDir, label: dataDir };
};

/** Whether two names certainly denote one ledger: the same directory, or the same connection string. */
export const sameLedger = (a: NamedLedger, b: NamedLedger): boolean => {
  if (a.setting.kind === 'kurrentdb' && b.setting.kind === 'kurrentdb') return a.setting.connectionString === b.setting.connectionString;
  if (a.dataDir === undefined || b.dataDir === undefined) return false;
  const real = (dir: string) => (fs.existsSync(dir) ? fs.realpathSync(dir) : dir);
  return real(a.dataDir) === real(b.dataDir);
};
