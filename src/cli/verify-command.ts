import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import type { Backend } from '../backend/backend.ts';
import { NoLedger } from '../backend/backend.ts';
import { ConfigError, type Config } from '../config.ts';
import { evidenceReportLines, verifyEvidenceFiles, type EvidenceVerifyReport } from '../evidence/verify-evidence-files.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { KEPT_CHECKPOINT_FILE, parseCheckpoint, readKeptCheckpoint, UnreadableCheckpoint } from '../integrity/kept-checkpoint.ts';
import { loadSigningKey, NoSigningKey, verificationKeyFromPem } from '../integrity/signing-key.ts';
import type { KeptCheckpoint } from '../integrity/verify-ledger.ts';
import type { VerifyReport } from '../integrity/verify-report.ts';
import { verifyRun } from '../operations/recorded-verify.ts';
import { operationsFile } from '../operations/sqlite/operations-db.ts';
import { DamagedDatabase } from '../store/damaged-database.ts';
import { fileState, keptReadOnly, unchangedSince, type FileState } from '../files/sqlite/kept-read-only.ts';
import { LedgerNotUpToDate, NotALedger } from '../store/sqlite/read-only-ledger.ts';
import { commandLinePrincipal } from './command-line-user.ts';
import { nothingChecked, printReport } from './print-verify-report.ts';
import { readPublicKeyPem } from './public-key-file.ts';
import { configFor, integrityOf, withBackend } from './with-backend.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * Without --public-key, verify checks with the key the service signs with. An auditor handed a copy of the data directory
 * has no private key (a backup keeps it out), only the published public key: say so, as `ledger copy` does, rather than
 * ask for the private key's settings.
 */
const configuredKey = (config: Config) => {
  try {
    return loadSigningKey({ ...config.signingKey, dataDir: config.dataDir, generate: false }).key;
  } catch (error) {
    if (!(error instanceof NoSigningKey)) throw error;
    throw new ConfigError(
      `ledger verify checks the signed checkpoints with the ledger's public key, and found none: ${error.message}. ` +
        'Pass --public-key <file> (the ledger serves it at GET /ledger/public-key.pem). Nothing was checked.',
    );
  }
};

/** The checkpoint kept beside the ledger, when there is a readable one: it too says how many events the ledger held. */
const keptBeside = (config: Config): KeptCheckpoint[] => {
  const file = path.join(config.dataDir, KEPT_CHECKPOINT_FILE);
  try {
    const checkpoint = readKeptCheckpoint(file);
    return checkpoint ? [{ checkpoint, source: `the copy kept at ${file}` }] : [];
  } catch (error) {
    if (error instanceof UnreadableCheckpoint) return [];
    throw error;
  }
};

/** A ledger with no events where a kept checkpoint says it held some: the end was cut off (all of it). Undefined without one. */
const noEventsReport = (what: string, kept: KeptCheckpoint[]): VerifyReport | undefined => {
  if (kept.length === 0) return undefined;
  const largest = kept.reduce((a, b) => (b.checkpoint.treeSize > a.checkpoint.treeSize ? b : a));
  return nothingChecked({
    kind: 'kept-checkpoint-beyond-ledger',
    checkpointTreeSize: largest.checkpoint.treeSize,
    message: `${what}, but ${largest.source} was signed over ${largest.checkpoint.treeSize} events`,
    expected: String(largest.checkpoint.treeSize),
    found: '0',
  });
};

/** A ledger file that holds no ledger, with nothing kept to say what it held: damage, as a file SQLite cannot open is. */
const notALedger = (error: NotALedger): VerifyReport =>
  nothingChecked({
    kind: 'storage-damaged',
    message: `${error.message}; restore it from a backup (\`ledger restore\`, docs/operations.md), then run \`ledger verify\` on it`,
    expected: 'a ledger file',
    found: error.bytes === 0 ? '0 bytes' : "a SQLite file without the ledger's tables",
  });

/**
 * On the embedded store with no -wal beside the ledger, the file is read without SQLite's locks (read-only-open.ts): its
 * state now, to find a writer that came meanwhile. Undefined where SQLite's locks hold (a -wal there) or on another backend.
 */
const readWithoutLocks = (config: Config): FileState | undefined =>
  config.store.kind === 'sqlite' && fs.existsSync(config.databaseFile) && !fs.existsSync(`${config.databaseFile}-wal`)
    ? fileState(config.databaseFile)
    : undefined;

/**
 * Whether verify records its outcome for /metrics. On the embedded store only in an operations.db already there, in a data
 * directory not kept read-only: an auditor's copy (`chmod -R a-w`, a read-only mount) is left exactly as it is.
 */
const mayRecordOutcome = (backend: Backend, config: Config): boolean =>
  backend.kind !== 'sqlite' ||
  (fs.existsSync(operationsFile(config.dataDir)) && !keptReadOnly(config.dataDir) && !keptReadOnly(operationsFile(config.dataDir)));

/**
 * `ledger verify`: every chain, the Merkle tree, every checkpoint and the evidence files, read without changing anything in
 * the data directory (an auditor's read-only copy verifies as the live one does). Exit 0 only when everything holds.
 */
export const registerVerifyCommand = (program: Command) => {
  program
    .command('verify')
    .description('Recompute every hash chain and the Merkle tree from the stored events and check every signed checkpoint')
    .option('-d, --data-dir <dir>', 'the data dir: the embedded ledger, the kept checkpoint, the signing key (overrides LEDGER_DATA_DIR)')
    .option(
      '--public-key <file>',
      'verify checkpoints against this public key (PEM as GET /ledger/public-key.pem serves it, or the JSON of GET ' +
        '/ledger/public-key) instead of the configured signing key',
    )
    .option(
      '--checkpoint <file>',
      'a signed checkpoint you kept (the JSON of GET /ledger/checkpoints/latest, or an export bundle): the ledger must ' +
        'still hold exactly that tree; repeatable',
      collect,
      [],
    )
    .option(
      '--quick',
      "SQLite's quick_check of the ledger file instead of the full integrity_check: it skips comparing every index entry with its " +
        'row (faster on a very large ledger)',
    )
    .action(async (options: { dataDir?: string; publicKey?: string; checkpoint: string[]; quick?: boolean }) => {
      const config = configFor(options.dataDir);
      let supplied: KeptCheckpoint[];
      try {
        supplied = options.checkpoint.map((file) => ({
          checkpoint: parseCheckpoint(fs.readFileSync(file, 'utf8'), file),
          source: `the checkpoint you supplied (${file})`,
        }));
      } catch (error) {
        const message =
          error instanceof UnreadableCheckpoint ? error.message : `cannot read a checkpoint file: ${(error as Error).message}`;
        printReport(nothingChecked({ kind: 'kept-checkpoint-invalid', message }));
        process.exitCode = 1;
        return;
      }
      const bar = new SingleBar(
        { format: 'verifying {bar} {percentage}% | {value}/{total} events | {eta_formatted} left', stream: process.stderr },
        Presets.shades_classic,
      );
      let report: VerifyReport;
      let evidence: EvidenceVerifyReport | undefined;
      const lockless = readWithoutLocks(config);
      try {
        report = await withBackend(
          config,
          async (backend) => {
            // Opened first: a missing or empty ledger is the finding, whatever else is missing.
            void backend.integrity;
            const key = options.publicKey ? verificationKeyFromPem(readPublicKeyPem(options.publicKey)) : configuredKey(config);
            const ledger = integrityOf(backend, config, key, { readOnly: true });
            let result: VerifyReport;
            try {
              let started = false;
              const startedAt = new Date();
              result = await ledger.verify(
                (checked, total) => {
                  if (!started) bar.start(total, 0);
                  started = true;
                  bar.update(checked);
                },
                { supplied, storageCheck: options.quick ? 'quick' : 'full' },
              );
              // The outcome is shared with every instance: /metrics reports the last verify whoever ran it. Never in a copy
              // kept read-only: a check changes nothing where it checks.
              if (mayRecordOutcome(backend, config)) await backend.operations.record(verifyRun(result, startedAt, commandLinePrincipal()));
            } finally {
              bar.stop();
              await ledger.close();
            }
            // Every file an event references, against the blob store: present and unaltered, or erased.
            const files = new SingleBar(
              { format: 'evidence  {bar} {percentage}% | {value}/{total} files', stream: process.stderr },
              Presets.shades_classic,
            );
            try {
              let started = false;
              evidence = await verifyEvidenceFiles(backend.events, backend.blobs, (checked, total) => {
                if (!started && total > 0) files.start(total, 0);
                started = true;
                files.update(checked);
              });
            } finally {
              files.stop();
            }
            return result;
          },
          { create: false, readOnly: true },
        );
      } catch (error) {
        if (error instanceof LedgerNotUpToDate) throw new ConfigError(`ledger verify: ${error.message}. Nothing was checked.`);
        if (error instanceof NotALedger) {
          printReport(noEventsReport(error.message, [...supplied, ...keptBeside(config)]) ?? notALedger(error));
          process.exitCode = 1;
          return;
        }
        // A ledger file SQLite cannot even open (cut short, written over) is the finding, not a crash: named, as verify names damage.
        if (error instanceof DamagedDatabase && path.resolve(error.file) === path.resolve(config.databaseFile)) {
          printReport(
            nothingChecked({ kind: 'storage-damaged', message: error.message, expected: 'a readable file', found: error.sqliteMessage }),
          );
          process.exitCode = 1;
          return;
        }
        if (!(error instanceof NoLedger)) throw error;
        if (supplied.length === 0) {
          // Most likely the wrong directory: say where it looked and how the server's is set.
          requireExistingDataDir(config, { command: 'verify' });
          throw error;
        }
        // The auditor knows the ledger held events: its absence is the finding, not a usage error.
        printReport(noEventsReport(`there is ${error.message}`, supplied)!);
        process.exitCode = 1;
        return;
      }
      if (lockless && !unchangedSince(config.databaseFile, lockless)) {
        // Read without SQLite's locks (no -wal beside it), and a process wrote it meanwhile: what was read may mix both.
        console.error(
          `ledger verify: ${config.databaseFile} was written while verify read it: a process opened it for writing (a service ` +
            'started on this data directory?), so what verify read may mix the file before and after. Run verify again.',
        );
        process.exitCode = 1;
        return;
      }
      printReport(report);
      if (evidence) console.log(evidenceReportLines(evidence).join('\n'));
      for (const kept of report.keptCheckpoints ?? []) console.log(`compared with checkpoint ${kept.treeSize}: ${kept.source}`);
      if (report.ok && !report.keptCheckpoints?.length) {
        console.log(
          'NOTE: no checkpoint kept outside the database was compared: a rewrite whose checkpoint rows were also ' +
            'deleted would pass. Pass --checkpoint with one you kept (docs/verification.md).',
        );
      }
      process.exitCode = report.ok && (evidence?.ok ?? true) ? 0 : 1;
    });
};
