import type { Command } from 'commander';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { loadSigningKey } from '../integrity/signing-key.ts';
import { auditedRead, ReadNotRecorded, reportReadNotRecorded } from './command-line-read-audit.ts';
import { reportSignedOutputRefusal } from './signed-output-refusal.ts';
import { configFor, integrityOf, withBackend } from './with-backend.ts';
import { refusedOutput, writeWhole } from './write-whole.ts';

/**
 * `ledger export`: one plan's events with their inclusion proofs, the signed checkpoint and the public
 * key, in a file anyone can verify offline (`ledger verify-export`). The read is recorded in the access
 * log, and the file is written whole, never over one already there unless `--force` is given.
 */
export const registerExportCommand = (program: Command) =>
  program
    .command('export')
    .description("Write a plan's events with inclusion proofs, the signed checkpoint and the public key to a self-contained file")
    .requiredOption('--plan <id>', 'the plan to export')
    .requiredOption('--out <file>', 'where to write the bundle (JSON), whole or not at all, never over a file already there')
    .option('--force', 'replace the file --out names if one is there (its permissions kept)')
    .option('-d, --data-dir <dir>', 'the data dir: the embedded ledger, the kept checkpoint, the signing key (overrides LEDGER_DATA_DIR)')
    .action(async (options: { plan: string; out: string; force?: boolean; dataDir?: string }) => {
      const config = configFor(options.dataDir);
      requireExistingDataDir(config, { command: 'export' });
      if (refusedOutput('export', '--out', options.out, options.force === true)) return;
      const { key } = loadSigningKey({ ...config.signingKey, dataDir: config.dataDir, generate: false });
      await withBackend(
        config,
        async (backend) => {
          const ledger = integrityOf(backend, config, key);
          try {
            const bundle = await auditedRead(backend, { command: 'export', planId: options.plan }, () => ledger.exportPlan(options.plan));
            const problem = writeWhole(options.out, `${JSON.stringify(bundle, null, 2)}\n`, options.force === true);
            if (problem) {
              console.error(`ledger export: --out ${options.out}: ${problem}\nNothing was written.`);
              process.exitCode = 1;
              return;
            }
            console.log(
              `exported ${bundle.events.length} events of plan ${options.plan} against checkpoint ` +
                `${bundle.checkpoint.treeSize} (key ${bundle.publicKey.keyId}) to ${options.out}`,
            );
          } catch (error) {
            if (error instanceof ReadNotRecorded) return reportReadNotRecorded('export', error);
            reportSignedOutputRefusal(error, 'export');
          } finally {
            await ledger.close();
          }
        },
        { create: false },
      );
    });
