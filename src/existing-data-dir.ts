import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config.ts';

/** Where a command looked and found no ledger: a usage error (exit 2), printed as it is. */
export class NoLedgerHere extends ConfigError {}

export interface DataDirCheck {
  /** The command as the user typed it after `ledger`, for the message. */
  command: string;
  /** Key commands also accept a directory that has a key store but no ledger yet. */
  keyStoreIsEnough?: boolean;
  /** undefined: the command has no --init; otherwise whether the user gave it. */
  init?: boolean | undefined;
}

/**
 * Commands run on the server's machine work on its data directory. Opening a directory that
 * holds no ledger would quietly create a new, empty ledger or key store there, which the
 * server never reads: a key made there fails with 401 and nothing says why. The usual cause
 * is another working directory or a missing -d, so the command refuses, names the directory
 * it looked in and how the server's is set, and starts a new one only when told to (--init).
 */
export const requireExistingDataDir = (config: Config, check: DataDirCheck): void => {
  const blocked = accessProblem(config);
  if (blocked) throw new ConfigError(`ledger ${check.command}: ${blocked}. Nothing was changed.`);
  const keyStore = path.join(config.dataDir, 'access.db');
  if (hasLedger(config) || (check.keyStoreIsEnough && fs.existsSync(keyStore)) || check.init) return;
  throw new NoLedgerHere(
    [
      `ledger ${check.command}: there is no ledger in ${config.dataDir} (no ${path.basename(config.databaseFile)}).`,
      'The server keeps its ledger and keys in its data directory: LEDGER_DATA_DIR or `ledger serve --data-dir <dir>`,',
      'by default ./data in the directory the server was started from.',
      `Give this command the same directory (-d <dir>, or LEDGER_DATA_DIR=<dir>)${
        check.init === undefined ? '.' : ', or add --init to start a new, empty one here.'
      }`,
    ].join('\n'),
  );
};

/** Whether the configured ledger exists already (another backend keeps it outside the data directory: assumed so). */
export const hasLedger = (config: Config): boolean => config.store.kind !== 'sqlite' || fs.existsSync(config.databaseFile);

/**
 * Why this process cannot read the data directory it was given, where it is there: a directory or
 * ledger file it may not read would otherwise read as "no ledger here". What a command must
 * write is left to the command: reading a ledger file it may not write works.
 */
const accessProblem = (config: Config): string | undefined => {
  if (config.store.kind !== 'sqlite') return undefined;
  const can = (file: string, mode: number) => {
    try {
      fs.accessSync(file, mode);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT';
    }
  };
  const { R_OK, X_OK } = fs.constants;
  if (!can(config.dataDir, R_OK | X_OK))
    return `this process may not read the data directory ${config.dataDir} (run it as the user the server runs as)`;
  if (!can(config.databaseFile, R_OK)) return `this process may not read ${config.databaseFile} (run it as the user the server runs as)`;
  return undefined;
};
