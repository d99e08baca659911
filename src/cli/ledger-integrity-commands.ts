import { signedByLine } from './signed-by-line.ts';
import type { Command } from 'commander';
import { verifyExport } from '../integrity/verify-export.ts';
import { pinnedKeyOption } from './public-key-file.ts';
import { readSignedFileJson } from './signed-file-json.ts';
import { registerExportCommand } from './export-command.ts';
import { printReport } from './print-verify-report.ts';
import { registerVerifyCommand } from './verify-command.ts';

/** Exit code of `verify-export` when every check held but against the bundle's own key, which no one pinned. */
export const EXIT_KEY_NOT_PINNED = 3;

/** `ledger verify`, `ledger export` (export-command.ts) and `ledger verify-export`: the auditor's tools. Exit 0 only when all holds. */
export const registerIntegrityCommands = (program: Command) => {
  registerVerifyCommand(program);

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
