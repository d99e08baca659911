import { signedByLine } from './signed-by-line.ts';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { DamagedDatabase } from '../store/damaged-database.ts';
import { commandLinePrincipal } from './command-line-user.ts';
import { verifyRun } from '../operations/recorded-verify.ts';
import { NoLedger } from '../backend/backend.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { parseCheckpoint, UnreadableCheckpoint } from '../integrity/kept-checkpoint.ts';
import type { KeptCheckpoint } from '../integrity/verify-ledger.ts';
import { loadSigningKey, NoSigningKey, verificationKeyFromPem } from '../integrity/signing-key.ts';
import { ConfigError, type Config } from '../config.ts';
import { verifyExport } from '../integrity/verify-export.ts';
import type { VerifyReport } from '../integrity/verify-report.ts';
import { pinnedKeyOption, readPublicKeyPem } from './public-key-file.ts';
import { readSignedFileJson } from './signed-file-json.ts';
import { configFor, integrityOf, withBackend } from './with-backend.ts';
import { registerExportCommand } from './export-command.ts';
import { evidenceReportLines, verifyEvidenceFiles, type EvidenceVerifyReport } from '../evidence/verify-evidence-files.ts';

/** Exit code of `verify-export` when every check held but against the bundle's own key, which no one pinned. */
export const EXIT_KEY_NOT_PINNED = 3;

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

/** A verify that failed before checking anything: a checkpoint it could not read, a ledger file it could not open. */
const nothingChecked = (failure: NonNullable<VerifyReport['failure']>): VerifyReport => ({
  ok: false,
  eventsChecked: 0,
  streamsChecked: 0,
  checkpointsChecked: 0,
  treeSize: 0,
  failure,
});

/** After a rotation: every key the ledger signed with, and how it came in; an operator's replacement of a lost key is marked. */
const printKeyHistory = (report: VerifyReport) => {
  for (const entry of report.keyHistory ?? []) {
    if (entry.how === 'first') console.log(`signing key:         ${entry.keyId} (the first)`);
    else if (entry.how === 'endorsed')
      console.log(
        `signing key:         ${entry.keyId} from position ${entry.since}, endorsed by the key before it (${entry.rotatedAt}: ` +
          `${entry.reason})`,
      );
    else
      console.log(
        `signing key:         ${entry.keyId} from position ${entry.since}: NOTE an operator's replacement, NOT endorsed by the ` +
          `key before it, which was recorded as lost (${entry.rotatedAt}: ${entry.reason})`,
      );
  }
};

/** A clock that stepped back is a fact about the ledger's times, not damage: said apart from the verdict. */
const printClockAnomalies = (report: VerifyReport) => {
  const anomalies = report.clockAnomalies;
  if (!anomalies) return;
  const why = anomalies.stampsKept
    ? 'commands were committed out of the order their instances stamped them in (a clock behind another, or a command that ' +
      'waited), and an asOf reads each such event at the ledger time, the latest recordedAt before it'
    : "the server's clock stepped back while this ledger was written, before ledger time prevented it, so an asOf between those " +
      'instants sees a mix';
  console.log(
    `NOTE: clock anomaly: recordedAt goes backwards ${anomalies.stepsBack} time(s) in ledger order. The events are intact (not ` +
      `tampered): ${why}`,
  );
  for (const step of anomalies.listed)
    console.log(`  position ${step.position}: recorded ${step.recordedAt}, after an event recorded ${step.previous}`);
};

const printReport = (report: VerifyReport, okLine = 'OK: every hash chain, the Merkle tree and every signed checkpoint hold') => {
  const lines = [
    `events checked:      ${report.eventsChecked}`,
    `streams checked:     ${report.streamsChecked}`,
    `checkpoints checked: ${report.checkpointsChecked}`,
    `tree size:           ${report.treeSize}`,
    ...(report.rootHash && report.ok ? [`root hash:           ${report.rootHash}`] : []),
    ...(report.backendChecks?.length ? [`also checked:        ${report.backendChecks.join('; ')}`] : []),
  ];
  console.log(lines.join('\n'));
  printKeyHistory(report);
  printClockAnomalies(report);
  if (report.ok) {
    console.log(okLine);
    return;
  }
  const f = report.failure!;
  console.log(`FAILED (${f.kind}): ${f.message}`);
  for (const [label, value] of [
    ['stream', f.stream],
    ['revision', f.revision],
    ['position', f.position],
    ['checkpoint', f.checkpointTreeSize],
    ['expected', f.expected],
    ['found', f.found],
  ] as const) {
    if (value !== undefined) console.log(`  ${label.padEnd(10)} ${value}`);
  }
};

/** `ledger verify`, `ledger export` (export-command.ts) and `ledger verify-export`: the auditor's tools. Exit 0 only when all holds. */
export const registerIntegrityCommands = (program: Command) => {
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
      try {
        report = await withBackend(
          config,
          async (backend) => {
            // Read after the ledger is found: a missing ledger is the finding, whatever else is missing.
            const key = options.publicKey ? verificationKeyFromPem(readPublicKeyPem(options.publicKey)) : configuredKey(config);
            const ledger = integrityOf(backend, config, key);
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
              // The outcome is shared with every instance: /metrics reports the last verify whoever ran it.
              await backend.operations.record(verifyRun(result, startedAt, commandLinePrincipal()));
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
          { create: false },
        );
      } catch (error) {
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
        const largest = supplied.reduce((a, b) => (b.checkpoint.treeSize > a.checkpoint.treeSize ? b : a));
        printReport({
          ok: false,
          eventsChecked: 0,
          streamsChecked: 0,
          checkpointsChecked: 0,
          treeSize: 0,
          failure: {
            kind: 'kept-checkpoint-beyond-ledger',
            checkpointTreeSize: largest.checkpoint.treeSize,
            message: `there is ${error.message}, but ${largest.source} was signed over ${largest.checkpoint.treeSize} events`,
            expected: String(largest.checkpoint.treeSize),
            found: '0',
          },
        });
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

  registerExportCommand(program);

  program
    .command('verify-export <file>')
    .description(
      `Check an export bundle offline: no server, no database. Exit 0: verified against the key you gave; 1: a check ` +
        `failed; ${EXIT_KEY_NOT_PINNED}: every check held but only against the key inside the bundle`,
    )
    .option(
      '--public-key <file>',
      "the ledger's public key as published (PEM as GET /ledger/public-key.pem serves it, or the JSON of GET " +
        '/ledger/public-key); without it the result is not a pass',
    )
    .action((file: string, options: { publicKey?: string }) => {
      const { input, problem } = readSignedFileJson(file, 'an export bundle');
      if (problem !== undefined) {
        console.error(problem);
        process.exitCode = 1;
        return;
      }
      const pinned = pinnedKeyOption(options.publicKey);
      if (!pinned) return;
      const report = verifyExport(input, pinned);
      if (report.planId) console.log(`plan:                ${report.planId}`);
      printReport(
        report,
        report.keyPinned
          ? 'OK: every event of the plan, its chain, its inclusion in the signed tree and the signed plan head hold'
          : 'NOT VERIFIED: the bundle is consistent, but only with the key inside it',
      );
      const signedBy = signedByLine(report);
      if (signedBy) console.log(signedBy);
      if (report.ok && !report.keyPinned) {
        console.log(
          "the key was not pinned: anyone can sign a forged bundle with a key of their own. Fetch the ledger's key " +
            '(GET /ledger/public-key.pem, or as its operator publishes it) and pass it with --public-key',
        );
      }
      process.exitCode = !report.ok ? 1 : report.keyPinned ? 0 : EXIT_KEY_NOT_PINNED;
    });
};
