import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { BusinessDate } from '../../events/business-date.ts';
import { createCommandHandler } from '../commands/command-path.ts';
import { linesShown } from './terminal-text.ts';
import { DomainError } from '../domain/errors.ts';
import { erasuresInLedger } from '../evidence/erasures-in-ledger.ts';
import { EvidenceRefused } from '../evidence/evidence-refused.ts';
import { receiveEvidenceFile } from '../evidence/receive-evidence-file.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { configFor, withBackend } from './with-backend.ts';

interface Options {
  action?: string;
  recommendation?: string;
  title?: string;
  type?: string;
  effectiveOn?: string;
  dataDir?: string;
}

/** Text files have no signature: their type is declared, here by their extension unless --type says otherwise. */
const TEXT_EXTENSIONS: Record<string, string> = { '.txt': 'text/plain', '.csv': 'text/csv', '.eml': 'message/rfc822' };

// The message may echo what was typed (a date, a file name): its control characters are shown, never obeyed.
const fail = (message: string) => {
  process.stderr.write(linesShown(`ledger attach-evidence: ${message}\nNothing was written.\n`));
  process.exitCode = 1;
};

/**
 * `ledger attach-evidence <planId> <file> --action <ref>`: the operator attaches a file on the
 * machine holding the data directory, through the same checks and the same command as
 * POST …/evidence-files (staged, checked, put in place durably, then the event), attributed to
 * the operator.
 */
export const registerAttachEvidenceCommand = (program: Command) =>
  program
    .command('attach-evidence <planId> <file>')
    .description('Attach an evidence file (PDF, PNG, JPEG, DOCX, XLSX, ODT, or UTF-8 TXT, CSV, EML) to an action or a recommendation')
    .option('--action <ref>', 'the action it evidences')
    .option('--recommendation <ref>', 'the recommendation it evidences')
    .option('--title <text>', 'what the evidence is (default: the file name)')
    .option('--type <mediaType>', 'the declared type of a text file (default: from .txt, .csv or .eml)')
    .option('--effective-on <date>', 'when the evidence was produced, as the document says (default: today)')
    .option('-d, --data-dir <dir>', 'the data dir: the embedded ledger and its evidence files (overrides LEDGER_DATA_DIR)')
    .action(async (planId: string, file: string, options: Options) => {
      if ((options.action === undefined) === (options.recommendation === undefined))
        return fail('name exactly one of --action <ref> or --recommendation <ref>');
      if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return fail(`${file} is not a file`);
      // Checked here as the API's schema checks it: the command path takes the date as given, so 2016-02-31 would be recorded.
      if (options.effectiveOn !== undefined && !BusinessDate.safeParse(options.effectiveOn).success)
        return fail(`--effective-on ${options.effectiveOn} is not a real calendar date: give a day as YYYY-MM-DD or a month as YYYY-MM`);
      const config = configFor(options.dataDir);
      requireExistingDataDir(config, { command: 'attach-evidence' });
      await withBackend(config, async (backend) => {
        const fileName = path.basename(file);
        const declaredType = options.type ?? TEXT_EXTENSIONS[path.extname(fileName).toLowerCase()];
        let upload;
        try {
          upload = await receiveEvidenceFile(backend.blobs, config.evidence, {
            content: fs.createReadStream(file),
            fileName,
            declaredType,
          });
        } catch (error) {
          if (error instanceof EvidenceRefused) return fail(`${error.message} [${error.code}]`);
          throw error;
        }
        try {
          const erasure = (await erasuresInLedger(backend.events)).get(upload.file.sha256);
          if (erasure) return fail(`this content was erased from the ledger on ${erasure.recordedAt}: it cannot be attached again`);
          const target = options.action
            ? { kind: 'action' as const, ref: options.action }
            : { kind: 'recommendation' as const, ref: options.recommendation! };
          const command = {
            type: 'AttachEvidenceFile' as const,
            data: { target, title: options.title ?? fileName.slice(0, 500), file: upload.file },
          };
          const result = await createCommandHandler({ store: backend.events })(planId, command, {
            actor: config.operator,
            commandId: uuidv7(),
            freshCommandId: true,
            correlationId: uuidv7(),
            provenance: { source: 'cli' },
            ...(options.effectiveOn ? { effectiveOn: options.effectiveOn } : {}),
            beforeAppend: upload.commitBeforeAppend,
          });
          const { sha256, size, mediaType } = upload.file;
          process.stdout.write(
            `Attached ${fileName} (${mediaType}, ${size} bytes, sha256 ${sha256}) to ${target.kind} ${target.ref} of plan "${planId}" ` +
              `(event ${result.eventIds[0]}, position ${result.lastPosition})\n`,
          );
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          fail(`plan "${planId}": ${error.message} [${error.code}]`);
        } finally {
          await upload.staged.discard();
        }
      });
    });
