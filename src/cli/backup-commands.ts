import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import { commandLinePrincipal } from './command-line-user.ts';
import path from 'node:path';
import { openBackend } from '../backend/open-backend.ts';
import { BackupProblem, BackupUsage } from '../backup/backup-errors.ts';
import { PASSPHRASE_MIN_CHARACTERS } from '../backup/signing-key-backup.ts';
import { pruneBackups } from '../backup/backup-names.ts';
import { backupPartsFor } from '../backup/backup-parts.ts';
import { restoreBackup } from '../backup/restore-backup.ts';
import { emptiedIfInterrupted } from './restore-interrupt.ts';
import { takeBackup } from '../backup/take-backup.ts';
import type { Config } from '../config.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { parseCheckpoint } from '../integrity/kept-checkpoint.ts';
import { DEFAULT_KEY_FILE, loadSigningKey } from '../integrity/signing-key.ts';
import { readPublicKeyPem } from './public-key-file.ts';
import { configFor, withBackend } from './with-backend.ts';

/** Exit codes of `ledger backup` and `ledger restore` (docs/operations.md#exit-codes). */
export const BACKUP_EXIT = { ok: 0, failed: 1, usage: 2, notTrustworthy: 3, targetFull: 4 } as const;

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more');
  return n;
};
const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * The passphrase from a file (first line) or LEDGER_BACKUP_PASSPHRASE; undefined when neither is given. A file named but
 * unreadable, or whose first line is empty, gives no passphrase: a usage error naming the file (exit 2), before anything is
 * copied, rather than an empty passphrase that fails later as the wrong one.
 */
export const readPassphrase = (file: string | undefined): string | undefined => {
  if (file === undefined) return process.env.LEDGER_BACKUP_PASSPHRASE || undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupUsage(`cannot read the passphrase file ${file} (${code ?? (error as Error).message}). Nothing was written.`);
  }
  const passphrase = text.split(/\r?\n/)[0]!;
  if (passphrase === '')
    throw new BackupUsage(
      `the passphrase file ${file} holds no passphrase: its first line, where the passphrase is read from, is empty. ` +
        'Nothing was written.',
    );
  return passphrase;
};

/** Where the service reads its signing key, as the manifest records it (never the key itself). */
export const signingKeyKeptAt = (config: Config): string =>
  config.signingKey.pem
    ? 'the LEDGER_SIGNING_KEY environment variable'
    : config.signingKey.file
      ? `LEDGER_SIGNING_KEY_FILE=${config.signingKey.file}`
      : path.join(config.dataDir, DEFAULT_KEY_FILE);

/** Runs a backup or restore action; a BackupProblem ends the command with its own exit code and one line. */
const reporting = (command: string, run: () => Promise<void>) => async () => {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof BackupProblem)) throw error;
    console.error(`ledger ${command}: ${error.message}`);
    process.exitCode = error.exitCode;
  }
};

/** `ledger backup` and `ledger restore`. */
export const registerBackupCommands = (program: Command) => {
  program
    .command('backup')
    .description(
      'Copy everything a restore needs while the service runs, verify the copy, and write a signed manifest. Exit 0: written ' +
        'and verified; 1: failed; 2: usage; 3: the copy does not verify; 4: the target has too little space',
    )
    .requiredOption('--to <dir>', 'the directory that holds backups; this one goes into a new folder in it named by the time')
    .option('-d, --data-dir <dir>', "the service's data dir (overrides LEDGER_DATA_DIR)")
    .option('--keep <n>', 'afterwards keep only the newest n backups in --to', positive)
    .option(
      '--passphrase-file <file>',
      'put the signing key into the backup, encrypted with the passphrase on the first line of this file (or set LEDGER_BACKUP_PASSPHRASE)',
    )
    .action((options: { to: string; dataDir?: string; keep?: number; passphraseFile?: string }) =>
      reporting('backup', async () => {
        // A backup is background work beside a running service: it yields the CPU to it (worker threads inherit this).
        os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
        const config = configFor(options.dataDir);
        requireExistingDataDir(config, { command: 'backup' });
        const passphrase = readPassphrase(options.passphraseFile);
        // Said before anything is copied: the copy and its verification may take minutes, and would be thrown away.
        const from = options.passphraseFile ? `the first line of ${options.passphraseFile}` : 'LEDGER_BACKUP_PASSPHRASE';
        if (passphrase !== undefined && passphrase.length < PASSPHRASE_MIN_CHARACTERS)
          throw new BackupUsage(
            `the backup passphrase (${from}) ` +
              `has ${passphrase.length} characters: it must have at least ${PASSPHRASE_MIN_CHARACTERS}. Nothing was written.`,
          );
        const started = new Date();
        const by = commandLinePrincipal();
        await withBackend(
          config,
          async (backend) => {
            if (!backend.backup)
              throw new BackupUsage(
                `the ${backend.kind} ledger is backed up with the engine's own procedure (docs/operations.md); this command ` +
                  `backs up the embedded store`,
              );
            try {
              const result = await takeBackup({
                source: backend.backup,
                parts: backupPartsFor(backend.backup.parts(), config.dataDir),
                backendKind: backend.kind,
                dataDir: config.dataDir,
                to: path.resolve(options.to),
                key: loadSigningKey({ ...config.signingKey, dataDir: config.dataDir, generate: false }).key,
                keyKeptAt: signingKeyKeptAt(config),
                passphrase,
                say: (line) => console.log(line),
              });
              const { ledger } = result.manifest;
              console.log(
                `backup written to ${result.directory}: ${(result.bytes / 1024 / 1024).toFixed(1)} MiB, ${ledger.events} ` +
                  `events up to position ${ledger.headPosition ?? '(empty)'}, ` +
                  `${ledger.chainHeads.length} streams, latest checkpoint ${ledger.latestCheckpoint?.treeSize ?? 'none'}, in ` +
                  `${result.seconds.toFixed(1)} s; the copy verifies`,
              );
              // Verifying the copy verified every event of the ledger up to the backup: the last verify, as /metrics reports it.
              const v = result.manifest.verification;
              await backend.operations.record({
                kind: 'verify',
                startedAt: started.toISOString(),
                finishedAt: v.at,
                ok: true,
                detail:
                  `the backup copy ${path.basename(result.directory)}: ${v.eventsChecked} events, ${v.streamsChecked} ` +
                  `streams, ${v.checkpointsChecked} checkpoints hold`,
                by,
              });
              await backend.operations.record({
                kind: 'backup',
                startedAt: started.toISOString(),
                finishedAt: new Date().toISOString(),
                ok: true,
                detail: `${ledger.events} events, verified`,
                by,
                bytes: result.bytes,
                location: result.directory,
              });
              if (options.keep !== undefined)
                for (const removed of pruneBackups(path.resolve(options.to), options.keep))
                  console.log(`removed ${removed} (keeping ${options.keep})`);
            } catch (error) {
              await backend.operations.record({
                kind: 'backup',
                startedAt: started.toISOString(),
                finishedAt: new Date().toISOString(),
                ok: false,
                detail: (error as Error).message.split('\n')[0]!.slice(0, 500),
                by,
              });
              throw error;
            }
          },
          { create: false },
        );
      })(),
    );

  program
    .command('restore')
    .description(
      'Restore a backup into a new, empty data directory: check its signed manifest, copy, rebuild the read models, verify. ' +
        'Exit 0: restored and verified; 1: failed; 2: usage (e.g. the target is not empty); 3: the backup does not match its ' +
        'manifest or does not verify (nothing is left in the target); 4: the disk holding the target ran out of space ' +
        '(it is emptied again)',
    )
    .requiredOption('--from <backup>', 'the backup folder (the one holding manifest.json)')
    .requiredOption('--data-dir <dir>', 'the new data directory to restore into: absent or empty')
    .option('--passphrase-file <file>', "the passphrase of the backup's signing key, first line (or set LEDGER_BACKUP_PASSPHRASE)")
    .option('--without-signing-key', 'do not restore the signing key from the backup (bring it yourself: LEDGER_SIGNING_KEY_FILE)')
    .option(
      '--public-key <file>',
      "the ledger's published public key (PEM or the JSON of GET /ledger/public-key): the manifest must be signed by it",
    )
    .option('--checkpoint <file>', 'a signed checkpoint you kept: the restored ledger must hold exactly that tree; repeatable', collect, [])
    .action(
      (options: {
        from: string;
        dataDir: string;
        passphraseFile?: string;
        withoutSigningKey?: boolean;
        publicKey?: string;
        checkpoint: string[];
      }) =>
        reporting('restore', async () => {
          const target = path.resolve(options.dataDir);
          const release = emptiedIfInterrupted(target);
          try {
            const result = await restoreBackup({
              from: path.resolve(options.from),
              dataDir: target,
              openRestored: (dataDir) => openBackend({ store: { kind: 'sqlite' }, dataDir }, { create: false }),
              passphrase: readPassphrase(options.passphraseFile),
              withoutSigningKey: options.withoutSigningKey ?? false,
              publicKeyPem: options.publicKey === undefined ? undefined : readPublicKeyPem(options.publicKey),
              supplied: options.checkpoint.map((file) => ({
                checkpoint: parseCheckpoint(fs.readFileSync(file, 'utf8'), file),
                source: `the checkpoint you supplied (${file})`,
              })),
              say: (line) => console.log(line),
            });
            console.log(
              `restored ${result.events} events into ${target} in ${result.seconds.toFixed(1)} s (read models rebuilt in ` +
                `${result.rebuildSeconds.toFixed(1)} s); the ledger verifies`,
            );
            console.log(
              result.signingKey === 'restored'
                ? `the signing key ${result.manifest.signingKey.keyId} is restored to ${path.join(target, DEFAULT_KEY_FILE)}`
                : `the signing key ${result.manifest.signingKey.keyId} is not in the restored directory: it was kept at ` +
                    `${result.manifest.signingKey.keptAt}; give the service that key (LEDGER_SIGNING_KEY_FILE): without it the ` +
                    'service refuses to start (`ledger serve --new-signing-key` starts a new key on purpose, recorded in the ledger)',
            );
            console.log(`start the service on it with: ledger serve --data-dir ${target}`);
          } finally {
            release();
          }
        })(),
    );
};
