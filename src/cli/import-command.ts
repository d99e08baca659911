import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { z } from 'zod';
import { hasLedger, requireExistingDataDir } from '../existing-data-dir.ts';
import { createBatchHandler } from '../commands/command-path.ts';
import { PlanKind } from '../../events/plan/plan-registered.v1.ts';
import { ImportError } from '../import/import-error.ts';
import { importPlan } from '../import/import-plan.ts';
import { DOCUMENT_FORMATS, type DocumentFormat } from '../import/read-document.ts';
import { createOrganisationAliases, openOrganisationAliases } from '../organisations/organisation-aliases.ts';
import { forbiddenCharacterIn } from '../domain/plan/texts.ts';
import { formatSummary } from '../import/summary-text.ts';
import { formatGate, formatPreview } from '../import/preview-text.ts';
import { AliasFile } from '../organisations/organisation-directory.ts';
import { configFor, withBackend } from './with-backend.ts';

interface ImportOptions {
  plan?: string;
  dryRun?: boolean;
  owner?: string;
  title?: string;
  kind?: z.infer<typeof PlanKind>;
  format?: DocumentFormat;
  dataDir?: string;
  json?: boolean;
  aliases?: string;
  acceptWarnings?: boolean;
  effectiveOn?: string;
  init?: boolean;
}

/**
 * A trust's alias file for `--aliases`: its names become organisations every event recorded with them
 * carries, so they keep the ledger's rule for texts (src/domain/plan/texts.ts).
 */
const readAliasFile = (file: string): AliasFile['organisations'] => {
  const { organisations } = AliasFile.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const found = forbiddenCharacterIn(organisations);
  if (found)
    throw new Error(`${file}: organisations.${found.path} holds the control character ${found.codePoint}: remove it and import again`);
  return organisations;
};

/** `ledger import`: the same import as POST /imports, attributed to the configured operator. */
export const registerImportCommands = (program: Command) => {
  program
    .command('import <file>')
    .description(
      'Import an action plan (Word .docx, Excel .xlsx, a Word text export, CSV or JSON; see docs/import.md). ' +
        '--dry-run previews every fact row by row; re-importing writes only what changed',
    )
    .option('--plan <id>', 'import into this plan id (default: from the document or the file name)')
    .option('--dry-run', 'show what would be recorded and write nothing')
    .option('--owner <organisation>', 'the plan owner, when the document does not name one')
    .option('--title <title>', "the plan's title, when the document has none")
    // Choices, so that a kind or format the importer does not know is a usage error naming the ones it does.
    .addOption(new Option('--kind <kind>', 'the kind of plan').choices(PlanKind.options))
    .addOption(new Option('--format <format>', 'the document format (default: from the file itself)').choices(DOCUMENT_FORMATS))
    .option('--accept-warnings', 'write even though some warnings mean facts were lost or misplaced (see --dry-run)')
    .option('--effective-on <date>', 'the date the document speaks as of (YYYY-MM or YYYY-MM-DD), when it states none itself')
    .option('-d, --data-dir <dir>', 'where the ledger file lives (overrides LEDGER_DATA_DIR)')
    .option('--json', 'print the summary as JSON')
    .option(
      '--aliases <file>',
      "an alias file (config/organisation-aliases.json's format) to add to the ledger's alias table before importing",
    )
    .option('--init', "start a new ledger if the data directory has none (else that is refused: it is not the server's)")
    .action(async (file: string, options: ImportOptions) => {
      const config = configFor(options.dataDir);
      const progress = (message: string) => process.stderr.write(`… ${message}\n`);
      // A dry run writes nothing, not even a new empty ledger: with none here yet it compares with an empty one of its own.
      const scratch =
        options.dryRun && !options.init && !hasLedger(config) ? fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-dry-run-')) : undefined;
      if (scratch) progress(`there is no ledger in ${config.dataDir} yet: comparing with an empty ledger (see --data-dir)`);
      else requireExistingDataDir(config, { command: 'import', init: options.init === true });
      try {
        await withBackend(scratch ? { ...config, dataDir: scratch } : config, async (backend) => {
          const store = backend.events;
          // A dry run against a scratch ledger still reads names the way this data directory does (it learns nothing).
          const aliases = scratch ? openOrganisationAliases(config.dataDir) : createOrganisationAliases(backend.learnedAliases);
          // A trust's own alias file joins the table first, so this import already reads names its way.
          if (options.aliases && !options.dryRun) await aliases.learn(readAliasFile(options.aliases));
          try {
            const content = fs.readFileSync(file);
            progress(`${path.basename(file)}: ${(content.length / 1024).toFixed(0)} KB`);
            const summary = await importPlan(
              {
                store,
                batch: createBatchHandler({ store }),
                directory: aliases,
                actor: config.operator,
                learnOrganisations: aliases.learn,
                onStage: progress,
              },
              {
                fileName: path.basename(file),
                content,
                planId: options.plan,
                owner: options.owner,
                title: options.title,
                kind: options.kind,
                format: options.format,
                dryRun: options.dryRun,
                acceptWarnings: options.acceptWarnings,
                effectiveOn: options.effectiveOn,
              },
            );
            if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
            else
              process.stdout.write(
                `${options.dryRun ? `${formatPreview(summary.preview)}\n\n` : ''}${formatSummary(summary)}${formatGate(summary)}\n`,
              );
            // A dry run of an import the gate would stop says so in its exit status, so scripts can check a file first.
            if (!summary.gate.passes) process.exitCode = 1;
          } catch (error) {
            if (!(error instanceof ImportError)) throw error;
            process.stderr.write(`ledger import: ${path.basename(file)}: ${error.message} [${error.code}]\nNothing was written.\n`);
            process.exitCode = 1;
          }
        });
      } finally {
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
      }
    });
};
