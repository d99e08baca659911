import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import fs from 'node:fs';
import { loadConfig } from '../config.ts';
import { UnknownPlan } from '../integrity/errors.ts';
import { loadSigningKey, verificationKeyFromPem } from '../integrity/signing-key.ts';
import { openLedgerIntegrity } from '../integrity/sqlite/ledger-integrity.ts';
import { verifyExport } from '../integrity/verify-export.ts';
import type { VerifyReport } from '../integrity/verify-report.ts';

const configFor = (dataDir?: string) => loadConfig({ ...process.env, ...(dataDir ? { LEDGER_DATA_DIR: dataDir } : {}) });

const printReport = (report: VerifyReport) => {
  const lines = [
    `events checked:      ${report.eventsChecked}`,
    `streams checked:     ${report.streamsChecked}`,
    `checkpoints checked: ${report.checkpointsChecked}`,
    `tree size:           ${report.treeSize}`,
    ...(report.rootHash && report.ok ? [`root hash:           ${report.rootHash}`] : []),
  ];
  console.log(lines.join('\n'));
  if (report.ok) {
    console.log('OK: every hash chain, the Merkle tree and every signed checkpoint hold');
    return;
  }
  const f = report.failure!;
  console.log(`FAILED (${f.kind}): ${f.message}`);
  for (const [label, value] of [['stream', f.stream], ['revision', f.revision], ['position', f.position], ['checkpoint', f.checkpointTreeSize], ['expected', f.expected], ['found', f.found]] as const) {
    if (value !== undefined) console.log(`  ${label.padEnd(10)} ${value}`);
  }
};

/** `ledger verify`, `ledger export` and `ledger verify-export`: the auditor's tools. Exit 0 only when all holds. */
export const registerIntegrityCommands = (program: Command) => {
  program
    .command('verify')
    .description('Recompute every hash chain and the Merkle tree from the stored events and check every signed checkpoint')
    .option('-d, --data-dir <dir>', 'where the ledger file lives (overrides LEDGER_DATA_DIR)')
    .option('--public-key <file>', 'verify checkpoints against this public key (PEM) instead of the configured signing key')
    .action(async (options: { dataDir?: string; publicKey?: string }) => {
      const config = configFor(options.dataDir);
      if (!fs.existsSync(config.databaseFile)) throw new Error(`no ledger at ${config.databaseFile}`);
      const key = options.publicKey
        ? verificationKeyFromPem(fs.readFileSync(options.publicKey, 'utf8'))
        : loadSigningKey({ ...config.signingKey, dataDir: config.dataDir, generate: false }).key;
      const ledger = openLedgerIntegrity({ file: config.databaseFile, key });
      const bar = new SingleBar({ format: 'verifying {bar} {percentage}% | {value}/{total} events | {eta_formatted} left', stream: process.stderr }, Presets.shades_classic);
      try {
        let started = false;
        const report = await ledger.verify((checked, total) => {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(checked);
        });
        bar.stop();
        printReport(report);
        process.exitCode = report.ok ? 0 : 1;
      } finally {
        await ledger.close();
      }
    });

  program
    .command('export')
    .description("Write a plan's events with inclusion proofs, the signed checkpoint and the public key to a self-contained file")
    .requiredOption('--plan <id>', 'the plan to export')
    .requiredOption('--out <file>', 'where to write the bundle (JSON)')
    .option('-d, --data-dir <dir>', 'where the ledger file lives (overrides LEDGER_DATA_DIR)')
    .action(async (options: { plan: string; out: string; dataDir?: string }) => {
      const config = configFor(options.dataDir);
      const { key } = loadSigningKey({ ...config.signingKey, dataDir: config.dataDir, generate: false });
      const ledger = openLedgerIntegrity({ file: config.databaseFile, key });
      try {
        const bundle = await ledger.exportPlan(options.plan);
        fs.writeFileSync(options.out, `${JSON.stringify(bundle, null, 2)}\n`);
        console.log(`exported ${bundle.events.length} events of plan ${options.plan} against checkpoint ${bundle.checkpoint.treeSize} (key ${bundle.publicKey.keyId}) to ${options.out}`);
      } catch (error) {
        if (!(error instanceof UnknownPlan)) throw error;
        console.error(error.message);
        process.exitCode = 1;
      } finally {
        await ledger.close();
      }
    });

  program
    .command('verify-export <file>')
    .description('Check an export bundle offline: no server, no database')
    .option('--public-key <file>', "the ledger's public key (PEM) as obtained from the ledger's operator; strongly advised")
    .action((file: string, options: { publicKey?: string }) => {
      let input: unknown;
      try {
        input = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        console.error(`cannot read ${file} as JSON: ${(error as Error).message}`);
        process.exitCode = 1;
        return;
      }
      const report = verifyExport(input, options.publicKey ? { trustedPublicKeyPem: fs.readFileSync(options.publicKey, 'utf8') } : {});
      printReport(report);
      if (report.keyId) console.log(`signed by key ${report.keyId}${options.publicKey ? ' (the key you supplied)' : ': compare it with the key the ledger publishes at GET /ledger/public-key'}`);
      process.exitCode = report.ok ? 0 : 1;
    });
};
