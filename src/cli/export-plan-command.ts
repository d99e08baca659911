import { Option, type Command } from 'commander';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { toCsv, toJson } from '../import/csv-export.ts';
import { exportPlan } from '../import/export-plan.ts';
import { readLedgerPlan } from '../import/ledger-plan.ts';
import { auditedRead, ReadNotRecorded, reportReadNotRecorded } from './command-line-read-audit.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { configFor, withBackend } from './with-backend.ts';
import { refusedOutput, writeWhole } from './write-whole.ts';
import { STDOUT } from './view-options.ts';
import { cutShort, writeStdoutWhole } from './write-stdout.ts';

/**
 * `ledger export-plan`: a plan's facts in the import format, to move it to another ledger. Every
 * fact of the plan, so the read goes into the access log as an export's does; a file at `-o` is
 * written whole and never over one already there unless `--force` is given, as `ledger export` does.
 */
export const registerExportPlanCommand = (program: Command) =>
  program
    .command('export-plan <planId>')
    .description('Write a plan out in the import format (CSV or JSON), e.g. to move it to another ledger')
    .addOption(new Option('--format <format>', 'the import format to write').choices(['csv', 'json']).default('csv'))
    .option('-o, --output <file>', 'write to this file, whole or not at all, never over a file already there (default, or -: stdout)')
    .option('--force', 'replace the file -o names if one is there (its permissions kept)')
    .option('-d, --data-dir <dir>', 'where the ledger file lives (overrides LEDGER_DATA_DIR)')
    // An option refused while the command line is read (an unknown format) ends as every other refusal does.
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd()}\nNothing was written.\n`) })
    .action(async (planId: string, options: { format: 'csv' | 'json'; output?: string; force?: boolean; dataDir?: string }) => {
      const config = configFor(options.dataDir);
      requireExistingDataDir(config, { command: 'export-plan' });
      const output = options.output === STDOUT ? undefined : options.output;
      if (output !== undefined && refusedOutput('export-plan', '-o', output, options.force === true)) return;
      await withBackend(config, async (backend) => {
        let text: string;
        try {
          text = await auditedRead(backend, { command: 'export-plan', planId }, async () => {
            const ledger = await readLedgerPlan(backend.events, planId);
            if (ledger.facts.length === 0) throw notFound('plan-not-found', `no plan "${planId}" in the ${backend.description}`);
            const doc = exportPlan(ledger.facts);
            return options.format === 'json' ? toJson(doc) : toCsv(doc);
          });
        } catch (error) {
          if (error instanceof ReadNotRecorded) return reportReadNotRecorded('export-plan', error);
          if (!(error instanceof DomainError)) throw error;
          process.stderr.write(`ledger export-plan: ${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        if (output === undefined) {
          const problem = await writeStdoutWhole(text);
          if (problem) {
            process.stderr.write(cutShort('export-plan', problem));
            process.exitCode = 1;
          }
          return;
        }
        const problem = writeWhole(output, text, options.force === true);
        if (!problem) return;
        process.stderr.write(`ledger export-plan: -o ${output}: ${problem}\nNothing was written.\n`);
        process.exitCode = 1;
      });
    });
