import type { Command } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Backend } from '../backend/backend.ts';
import { NoLedger } from '../backend/backend.ts';
import { BadLedgerName, parseLedgerName, sameLedger, type NamedLedger } from '../backend/ledger-name.ts';
import { openBackend } from '../backend/open-backend.ts';
import { ConfigError, type Config } from '../config.ts';
import { copyLedger } from '../copy/copy-ledger.ts';
import { learnedAliasesPart } from '../copy/copy-part.ts';
import { evidenceFilesPart } from '../copy/evidence-files-part.ts';
import { NoLedgerHere } from '../existing-data-dir.ts';
import { KEPT_CHECKPOINT_FILE, readKeptCheckpoint, UnreadableCheckpoint } from '../integrity/kept-checkpoint.ts';
import { loadSigningKey, NoSigningKey, verificationKeyFromPem, type LedgerVerificationKey } from '../integrity/signing-key.ts';
import type { KeptCheckpoint } from '../integrity/verify-ledger.ts';
import { copyProgressBars } from './copy-progress.ts';
import { printCopyFailure, printCopyReport } from './copy-report.ts';
import { targetAsFound } from './copy-target-as-found.ts';
import { readPublicKeyPem } from './public-key-file.ts';
import { configFor } from './with-backend.ts';

interface CopyCommandOptions {
  from: string;
  to: string;
  publicKey?: string;
  dataDir?: string;
  progress: boolean;
}

const named = (value: string, option: string): NamedLedger => {
  try {
    return parseLedgerName(value);
  } catch (error) {
    if (error instanceof BadLedgerName) throw new ConfigError(`ledger copy: ${option} ${error.message}`);
    throw error;
  }
};

/** The ledger's public key: --public-key, else the signing key the source's instance uses (LEDGER_SIGNING_KEY[_FILE] or its data dir). */
const sourceKey = (options: CopyCommandOptions, config: Config, sourceDir: string): LedgerVerificationKey => {
  if (options.publicKey) return verificationKeyFromPem(readPublicKeyPem(options.publicKey));
  try {
    return loadSigningKey({ ...config.signingKey, dataDir: sourceDir, generate: false }).key;
  } catch (error) {
    if (!(error instanceof NoSigningKey)) throw error;
    throw new ConfigError(
      `ledger copy checks the source's signed checkpoints with the ledger's public key, and found none: ${error.message}. ` +
        'Pass --public-key <file> (the ledger serves it at GET /ledger/public-key.pem)',
    );
  }
};

/** The checkpoint the source's instance keeps beside it, if any: the source must still extend it. */
const keptBeside = (dir: string): KeptCheckpoint[] => {
  const file = path.join(dir, KEPT_CHECKPOINT_FILE);
  try {
    const checkpoint = readKeptCheckpoint(file);
    return checkpoint ? [{ checkpoint, source: `the copy kept at ${file}` }] : [];
  } catch (error) {
    if (error instanceof UnreadableCheckpoint) throw new ConfigError(`ledger copy: ${error.message}`);
    throw error;
  }
};

/**
 * The events a target holds after a copy stopped. A target that cannot count them is one whose store did not open (the
 * embedded store opens, and migrates, on first use: on a full disk it cannot): nothing was appended to it.
 */
const eventsHeld = async (target: Backend): Promise<number> => {
  try {
    return await target.events.count();
  } catch {
    return 0;
  }
};

/**
 * `ledger copy --from <ledger> --to <ledger>`: a verified copy between any two backends. A
 * ledger is a data directory (the embedded store) or a kurrentdb:// connection string; a
 * KurrentDB end keeps its local, rebuildable position index in --data-dir (as `serve` on that
 * ledger would), or, when both ends are KurrentDB, the source's in a temporary directory.
 */
export const registerCopyCommand = (program: Command) =>
  program
    .command('copy')
    .description(
      'Copy a ledger to another backend or place, verified: every event, command result and signed checkpoint, unchanged. ' +
        'Resumable; refuses a target holding another ledger',
    )
    .requiredOption('--from <ledger>', 'the source: a data directory, or a kurrentdb:// connection string')
    .requiredOption('--to <ledger>', 'the target: an empty ledger, or one an interrupted copy of the same source left (it resumes)')
    .option(
      '--public-key <file>',
      "the ledger's public key (PEM as GET /ledger/public-key.pem serves it, or its JSON); " +
        "default: the signing key of the source's data dir or LEDGER_SIGNING_KEY[_FILE]",
    )
    .option('-d, --data-dir <dir>', 'where a KurrentDB end keeps its local position index (overrides LEDGER_DATA_DIR)')
    .option('--no-progress', 'no progress bars: print only what was done')
    .action(async (options: CopyCommandOptions) => {
      const from = named(options.from, '--from');
      const to = named(options.to, '--to');
      if (sameLedger(from, to)) throw new ConfigError(`ledger copy: --from and --to both name ${from.label}`);
      const config = configFor(options.dataDir);
      const scratch =
        from.dataDir === undefined && to.dataDir === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-copy-')) : undefined;
      const sourceDir = from.dataDir ?? scratch ?? config.dataDir;
      const opened: Backend[] = [];
      const progress = copyProgressBars(options.progress);
      const stop = new AbortController();
      // SIGTERM (a service manager, a container stopping) as Ctrl-C: after the command in flight, and a target the copy
      // carried nothing into is left as it was found, where being killed outright left its opening's empty ledger.db.
      let stoppedBy: NodeJS.Signals | undefined;
      const interrupt = (signal: NodeJS.Signals) => {
        stoppedBy ??= signal;
        process.stderr.write('\nledger copy: stopping after the command in flight…\n');
        stop.abort();
      };
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      let asFound: ReturnType<typeof targetAsFound> | undefined;
      let target: Backend | undefined;
      /** Whether the target keeps what the copy did: a verified copy, or events a stopped or failed copy resumes from. */
      let keep = false;
      /** How many of the source's events the target holds, once the copy has said. */
      let copied: number | undefined;
      try {
        let source: Backend;
        try {
          source = await openBackend({ store: from.setting, dataDir: sourceDir }, { create: false, readPageSize: 5000 });
        } catch (error) {
          if (error instanceof NoLedger)
            throw new NoLedgerHere(`ledger copy: there is no ledger to copy at ${from.label} (${error.message})`);
          throw error;
        }
        opened.push(source);
        // Read before the target is made: a missing key stops the copy before it creates anything.
        const key = sourceKey(options, config, from.dataDir ?? config.dataDir);
        const kept = keptBeside(from.dataDir ?? config.dataDir);
        // Only an embedded target's directory is the copy's own: a KurrentDB target keeps its position index in the
        // data directory (-d, often the source's, perhaps a serving instance's), where nothing found is the copy's to remove.
        asFound = to.dataDir !== undefined ? targetAsFound(to.dataDir) : { restore: () => undefined };
        target = await openBackend(
          { store: to.setting, dataDir: to.dataDir ?? config.dataDir },
          { appendDurability: 'at-close', readPageSize: 5000 },
        );
        opened.push(target);
        const report = await copyLedger({
          source,
          target,
          publicKey: key.publicKey,
          kept,
          parts: [learnedAliasesPart(source.learnedAliases, target.learnedAliases), evidenceFilesPart(source, target.blobs)],
          onProgress: progress.listener,
          signal: stop.signal,
        });
        progress.stop();
        // What the target holds, not what this copy appended: another copy may have written into it meanwhile. A
        // finished copy keeps its target whatever it holds (a verified copy of an empty ledger is one).
        copied = await eventsHeld(target);
        keep = report.stoppedAt === undefined || copied > 0;
        // Closed before the report: the target's appends are durable once it is closed.
        for (const backend of opened.splice(0).reverse()) await backend.close();
        printCopyReport(report, from, to);
        process.exitCode = report.stoppedAt === undefined ? 0 : stoppedBy === 'SIGTERM' ? 143 : 130;
      } catch (error) {
        // Before the target is opened, nothing of it to tell or to undo: the error is the command's (no ledger, no key).
        if (asFound === undefined) throw error;
        progress.stop();
        // A copy that ended, and then failed to close, holds what it says it copied: a closed store counts nothing.
        const held = copied ?? (target === undefined ? 0 : await eventsHeld(target));
        keep ||= held > 0;
        process.exitCode = printCopyFailure(error, from, to, held);
      } finally {
        progress.stop();
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
        try {
          for (const backend of opened.reverse()) await backend.close();
        } finally {
          if (!keep) asFound?.restore();
          if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
        }
      }
    });
