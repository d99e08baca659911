import { signedByLine } from './signed-by-line.ts';
import type { Command } from 'commander';
import type { IntegrityFailure } from '../integrity/verify-report.ts';
import { verifySignedView, type ViewReport } from '../integrity/verify-view.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { givenOnce } from './given-once.ts';
import { plainForTerminal, quotedForTerminal } from './terminal-text.ts';
import { EXIT_KEY_NOT_PINNED } from './ledger-integrity-commands.ts';
import { pinnedKeyOption } from './public-key-file.ts';
import { readSignedFileJson } from './signed-file-json.ts';
import { VIEW_FLAGS } from './view-options.ts';
import { isRecordedChanges } from '../views/named-view.ts';
import { queryProblem, SignedViewFile, type ViewQuery } from './view-query.ts';
import { rereadView, type Reread } from './view-reread.ts';
import { configFor } from './with-backend.ts';

/**
 * The file's query as the options of `ledger view` that would ask it. `changes` on the ledger clock compares its `from`
 * and `to`, and takes no `--as-of`: the file's asOf is only when it was read, which `ledger view` would refuse.
 */
const asked = (view: SignedViewFile) =>
  Object.entries(view.query)
    .filter(([key]) => !(key === 'asOf' && isRecordedChanges(view.view, view.query)))
    .map(([key, value]) => `${VIEW_FLAGS[key as keyof ViewQuery]} ${quotedForTerminal(value)}`)
    .join(' ');

const printFailure = (f: IntegrityFailure) => {
  console.log(`FAILED (${f.kind}): ${f.message}`);
  // A view read again is compared with the file, neither of which is "expected": each is named.
  const [expected, found] = f.kind === 'view-differs' ? ['the file', 'the ledger'] : ['expected', 'found'];
  for (const [label, value] of [
    ['position', f.position],
    ['checkpoint', f.checkpointTreeSize],
    [expected, f.expected],
    [found, f.found],
  ] as const)
    if (value !== undefined) console.log(`  ${label.padEnd(10)} ${value}`);
};

/** What the file says it is, once it parsed: the view, what was asked, where it stands, who read it. */
const printView = (view: SignedViewFile) => {
  console.log(`view:                ${view.view}${view.subject === null ? '' : ` ${plainForTerminal(view.subject)}`}`);
  console.log(`asked:               ${asked(view)}`);
  console.log(
    `position:            ${view.position}, in checkpoint ${view.checkpoint.treeSize} (root ${view.checkpoint.rootHash}, ` +
      `issued ${view.checkpoint.issuedAt})`,
  );
  console.log(`read:                ${view.readAt} by ${plainForTerminal(view.readBy)}, release ${plainForTerminal(view.release)}`);
};

const printKey = (report: ViewReport) => {
  const line = signedByLine(report);
  if (line) console.log(line);
};

const printReread = (reread: Reread, dataDir: string) => {
  if (reread.failures.length === 0) {
    console.log(
      `read again:          from ${dataDir}: the ledger still holds the checkpoint's tree, and gives the same answer at the ` +
        'same position',
    );
    return;
  }
  console.log(`read again:          from ${dataDir}:`);
  for (const failure of reread.failures) printFailure(failure);
  if (reread.reasons.length > 0) console.log('why the ledger may answer otherwise:');
  for (const reason of reread.reasons) console.log(`  - ${reason}`);
};

/** The file as JSON and as a signed view this command line can read again; or why not, as a report. */
const readFile = (file: string): { input: unknown; view?: SignedViewFile; failure?: IntegrityFailure } => {
  const { input, problem: unread } = readSignedFileJson(file, 'a signed view');
  if (unread !== undefined) return { input, failure: { kind: 'malformed-view', message: unread } };
  // Stricter than the integrity layer's parse (verify-view.ts): a view and a query `ledger view` asks, which -d can read again.
  const parsed = SignedViewFile.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      input,
      failure: { kind: 'malformed-view', message: `not a signed view: ${issue?.path.join('.') || '(top)'}: ${issue?.message}` },
    };
  }
  const problem = queryProblem(parsed.data.view, parsed.data.subject, parsed.data.query);
  if (problem) return { input, failure: { kind: 'malformed-view', message: `not a view ledger view reads: ${problem}` } };
  return { input, view: parsed.data };
};

/**
 * `ledger verify-view <file>`: a signed view (`ledger view --signed`) checked offline, as
 * verify-export checks an export: exit 0 against the key you pin, 3 against only the file's own
 * key, 1 when a check fails. With `-d`, also against a ledger: it must still hold the checkpoint's
 * tree and give the same answer read again (view-reread.ts).
 */
export const registerVerifyViewCommand = (program: Command) =>
  program
    .command('verify-view <file>')
    .description(
      'Check a signed view (ledger view --signed) offline: its signature and its checkpoint; with -d, also that the ledger ' +
        `still holds that tree and gives the same answer. Exit 0: verified against the key you gave; 1: a check failed; ` +
        `${EXIT_KEY_NOT_PINNED}: every check held but only against the key inside the file`,
    )
    .option(
      '--public-key <file>',
      "the ledger's public key as published (PEM as GET /ledger/public-key.pem serves it, or the JSON of GET " +
        '/ledger/public-key); without it the result is not a pass',
      givenOnce,
    )
    .option(
      '-d, --data-dir <dir>',
      'also read the view again from the ledger in this data dir, at the same clocks and options (without it: offline)',
      givenOnce,
    )
    .action(async (file: string, options: { publicKey?: string; dataDir?: string }) => {
      // A data dir with no ledger is said before anything else: the offline checks would only be printed to be cut short.
      if (options.dataDir !== undefined) requireExistingDataDir(configFor(options.dataDir), { command: 'verify-view' });
      const pinned = pinnedKeyOption(options.publicKey);
      if (!pinned) return;
      const read = readFile(file);
      const report: ViewReport = read.failure
        ? { ok: false, keyPinned: pinned.trustedPublicKeyPem !== undefined, failure: read.failure }
        : verifySignedView(read.input, pinned);
      if (read.view) printView(read.view);
      if (report.failure) printFailure(report.failure);
      else
        console.log(
          report.keyPinned
            ? 'OK: the view and its checkpoint are signed by the key you pinned, and unchanged since'
            : 'NOT VERIFIED: the view is consistent, but only with the key inside it',
        );
      printKey(report);
      if (report.ok && !report.keyPinned)
        console.log(
          "the key was not pinned: anyone can sign a forged view with a key of their own. Fetch the ledger's key " +
            '(GET /ledger/public-key.pem, or as its operator publishes it) and pass it with --public-key',
        );
      // Read again even when a signature failed: where the ledger now differs says what was changed.
      const reread =
        options.dataDir !== undefined && read.view
          ? await rereadView(read.view, options.dataDir, !report.ok ? 'failed' : report.keyPinned ? 'verified' : 'unpinned', file)
          : undefined;
      if (reread) printReread(reread, options.dataDir!);
      else if (report.ok)
        console.log(
          "NOTE: the signatures prove the ledger's software, holding this key, wrote this answer over that tree, not that the " +
            'answer is right: read it again against the ledger with -d <data dir>',
        );
      process.exitCode = !report.ok || (reread && reread.failures.length > 0) ? 1 : report.keyPinned ? 0 : EXIT_KEY_NOT_PINNED;
    });
