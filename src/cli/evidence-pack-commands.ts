import { signedByLine } from './signed-by-line.ts';
import type { Command } from 'commander';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { erasuresInLedger } from '../evidence/erasures-in-ledger.ts';
import { packFileName, prepareEvidencePack } from '../evidence/pack/build-pack.ts';
import { asideOf, placeWritten, refusedOutput, removeAside } from './write-whole.ts';
import { auditedRead, ReadNotRecorded, reportReadNotRecorded } from './command-line-read-audit.ts';
import { verifyPack, type PackReport } from '../evidence/pack/verify-pack.ts';
import { reportSignedOutputRefusal } from './signed-output-refusal.ts';
import { loadSigningKey } from '../integrity/signing-key.ts';
import { EXIT_KEY_NOT_PINNED } from './ledger-integrity-commands.ts';
import { pinnedKeyOption } from './public-key-file.ts';
import { configFor, integrityOf, withBackend } from './with-backend.ts';

const printPackReport = (report: PackReport) => {
  if (report.planId) console.log(`plan:                ${report.planId}`);
  if (report.export) console.log(`events checked:      ${report.export.eventsChecked}`);
  console.log(`files checked:       ${report.filesChecked}`);
  console.log(
    `evidence files:      ${report.evidence.recorded} recorded, ${report.evidence.included} in the pack as recorded, ` +
      `${report.evidence.erased} erased`,
  );
  for (const f of report.failures) console.log(`FAILED (${f.kind}): ${f.message}`);
  if (report.ok)
    console.log(
      report.keyPinned
        ? 'OK: the export, the signed list of files, every file and every recorded evidence file hold'
        : 'NOT VERIFIED: the pack is consistent, but only with the key inside it',
    );
  const signedBy = signedByLine({ ...report.export, ok: report.ok, keyId: report.keyId });
  if (signedBy) console.log(signedBy);
  if (report.ok && !report.keyPinned)
    console.log("the key was not pinned: fetch the ledger's key (GET /ledger/public-key.pem) and pass it with --public-key");
};

/** `ledger evidence-pack` (the operator makes an inquiry's pack) and `ledger verify-pack` (anyone checks one offline). */
export const registerEvidencePackCommands = (program: Command) => {
  program
    .command('evidence-pack <planId>')
    .description("Write a plan's evidence pack: one zip of index.html, the evidence files, the export bundle, VERIFY.txt, signed")
    .option('-o, --out <file>', 'where to write the zip (default: evidence-pack-<planId>.zip here), never over a file already there')
    .option('--force', 'replace the file if one is there')
    .option('-d, --data-dir <dir>', 'the data dir: the embedded ledger, evidence files, the signing key (overrides LEDGER_DATA_DIR)')
    .action(async (planId: string, options: { out?: string; force?: boolean; dataDir?: string }) => {
      const config = configFor(options.dataDir);
      requireExistingDataDir(config, { command: 'evidence-pack' });
      const out = options.out ?? packFileName(planId);
      if (refusedOutput('evidence-pack', '--out', out, options.force === true)) return;
      const { key } = loadSigningKey({ ...config.signingKey, dataDir: config.dataDir, generate: false });
      await withBackend(
        config,
        async (backend) => {
          const ledger = integrityOf(backend, config, key);
          try {
            const erasures = await erasuresInLedger(backend.events);
            const pack = await auditedRead(backend, { command: 'evidence-pack', planId }, () =>
              prepareEvidencePack({ ledger, blobs: backend.blobs, erasureOf: async (sha) => erasures.get(sha) }, planId),
            );
            // Written beside its place and put there whole (never over a file that appeared meanwhile, unless
            // --force): an interrupted run never leaves half a pack under the name.
            const placed = await pipeline(pack.stream(), fs.createWriteStream(asideOf(out), { flags: 'wx' })).then(
              () => placeWritten(out, options.force === true),
              // The zip's writing failed, or its making did (an evidence file gone from the store): either way, nothing is left.
              (error: unknown) => removeAside(out, error),
            );
            if (placed !== undefined) {
              console.error(`ledger evidence-pack: the pack could not be written to ${out}: ${placed}\nNothing was written.`);
              process.exitCode = 1;
              return;
            }
            const counts = new Map<string, number>();
            for (const e of pack.manifest.evidence) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
            console.log(
              `wrote ${out}: plan ${planId} at checkpoint ${pack.manifest.checkpoint.treeSize}, evidence files ` +
                ([...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'none'),
            );
            const lost = pack.manifest.evidence.filter((e) => e.status === 'missing' || e.status === 'altered');
            for (const e of lost)
              console.error(`evidence file ${e.sha256} is ${e.status} in the store: the pack says so; run ledger verify`);
            if (lost.length) process.exitCode = 1;
          } catch (error) {
            if (error instanceof ReadNotRecorded) return reportReadNotRecorded('evidence-pack', error);
            reportSignedOutputRefusal(error, 'pack');
          } finally {
            await ledger.close();
          }
        },
        { create: false },
      );
    });

  program
    .command('verify-pack <zip>')
    .description(
      'Check an evidence pack offline: the export, the signature over its file list, every file, every recorded evidence ' +
        `file. Exit 0: verified against the key you gave; 1: a check failed; ${EXIT_KEY_NOT_PINNED}: all held, but only ` +
        'against the key inside',
    )
    .option('--public-key <file>', "the ledger's public key as published (PEM, or the JSON of GET /ledger/public-key)")
    .action(async (zip: string, options: { publicKey?: string }) => {
      const pinned = pinnedKeyOption(options.publicKey);
      if (!pinned) return;
      const report = await verifyPack(zip, pinned);
      printPackReport(report);
      process.exitCode = !report.ok ? 1 : report.keyPinned ? 0 : EXIT_KEY_NOT_PINNED;
    });
};
