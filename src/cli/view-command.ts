import { ledgerNow } from '../store/ledger-now.ts';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { givenOnce } from './given-once.ts';
import { writeWhole } from './write-whole.ts';
import { ReadNotRecorded } from './command-line-read-audit.ts';
import { changesWords } from './view-changes.ts';
import { argumentProblem, STDOUT, ViewOptionError, VIEWS, type Options, type ViewName } from './view-options.ts';
import { resolveQuery, type ViewQuery } from './view-query.ts';
import { readView } from './view-read.ts';
import { ReadRequestError } from '../../projections/clocks/read-request-error.ts';
import { openReadModels } from '../../projections/read-models.ts';
import { DomainError } from '../domain/errors.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { createOrganisationAliases } from '../organisations/organisation-aliases.ts';
import { configFor, withBackend } from './with-backend.ts';
import { CheckpointRefused, NoCheckpoint } from '../integrity/errors.ts';
import { loadSigningKey, type LedgerSigningKey } from '../integrity/signing-key.ts';
import { LedgerDamaged } from '../integrity/tree-index.ts';
import { signedViewOf } from './signed-view.ts';
import { controlsShown, plainForTerminal, quotedForTerminal } from './terminal-text.ts';
import { cutShort, writeStdoutWhole } from './write-stdout.ts';
/**
 * A bar on stderr while a view folds plans one by one (at both clocks; and at an asOf past what
 * the read models have applied): at ten million events a view of every plan at both clocks
 * folds thousands of plans, some seconds. Nothing is shown when nothing is folded.
 */
const foldBar = (readModels: ReturnType<typeof openReadModels>) => {
  const bar = new cliProgress.SingleBar(
    { format: 'fold |{bar}| {value}/{total} plans folded at these clocks | ETA {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  // A view written page by page (plans, organisations) reads several times: each read counts from
  // one again, so the bar counts on from what the reads before it folded.
  let before = 0;
  let last = 0;
  const stopListening = readModels.reader.onFold((folded, of) => {
    if (folded === 1) before += last;
    last = folded;
    if (!started) bar.start(before + of, 0);
    started = true;
    bar.setTotal(before + of);
    bar.update(before + folded);
  });
  return () => {
    stopListening();
    if (started) bar.stop();
    started = false;
  };
};

/** A refusal of the clocks says them as the command's options, not as the API's parameters. */
const inOptionNames = (message: string) =>
  message
    .replace(/\beffectiveOn\b/g, '--effective-on')
    .replace(/\basOf\b/g, '--as-of')
    // A window's ends, as the deadline report and changes name them: "from (…) is after to (…)", "to 2099-01 begins …".
    // "from (" is named by the second replacement alone: the first would make it "----from (".
    .replace(/^(from|to) (?!\()/, '--$1 ')
    .replace(/\b(from|to) \(/g, '--$1 (')
    .replace(/\bthe day of (from|to)\b/g, 'the day of --$1');

/**
 * What the file holds, in words: the view, its subject, every option that shaped it, the clocks, and a retraction; on
 * one line, what was typed shown with its control characters escaped (an --action of "1.1\n" is read as 1.1).
 */
const whatWasWritten = (view: string, subject: string | undefined, options: Options, clocks: ViewQuery, answer: unknown) => {
  const shaped = [
    options.from !== undefined && `from ${options.from} to ${options.to}`,
    options.organisation !== undefined && `for ${plainForTerminal(options.organisation.trim())}`,
    options.action !== undefined && `of action ${plainForTerminal(options.action)}`,
    options.order !== undefined && `in ${options.order} order`,
  ].filter(Boolean);
  const retracted =
    typeof answer === 'object' && answer !== null && 'retraction' in answer && answer.retraction
      ? ' (retracted at these clocks: see its retraction)'
      : '';
  // The window as the file holds it: on the ledger clock its ends are instants, one still to come read as now.
  if (view === 'changes') {
    const window = changesWords({ ...options, from: clocks.from, to: clocks.to }, clocks.asOf);
    return `changes of ${plainForTerminal(subject!)}${retracted} ${window}`;
  }
  return (
    `${view}${subject ? ` ${plainForTerminal(subject)}` : ''}${shaped.length > 0 ? ` ${shaped.join(', ')}` : ''}${retracted}` +
    ` as of ${clocks.asOf}` +
    `${clocks.effectiveOn ? `, effective on ${clocks.effectiveOn}` : ''}`
  );
};

/**
 * `ledger view <view> [subject]`: a read view at both clocks, as JSON, to a file or stdout —
 * for an auditor who keeps what the ledger answered. The same views as the API
 * (projections/views), answered from the ledger at `--as-of` (default: the moment the command
 * runs, which the answer names): the read store speeds it up where it has caught up, and the
 * ledger itself answers where it has not, so a stopped or lagging server never makes it stale.
 * With `--signed`, the answer goes in an envelope the ledger signs (signed-view.ts), which
 * `ledger verify-view` checks, and reads again through the same readView (view-read.ts).
 */
export const addViewCommand = (program: Command) =>
  program
    .command('view <view> [subject]')
    .description(
      `Write a read view at both clocks as JSON (${VIEWS.join(', ')}; ` +
        "plan, timeline and changes take a plan id, organisation an organisation's name)",
    )
    .option('--as-of <instant|day>', 'ledger time: as the ledger stood then (a day means its end in London; default: now)', givenOnce)
    .option('--effective-on <day|month>', 'business time: what was true then, as the ledger knew it at --as-of', givenOnce)
    .option(
      '--from <day|month|instant>',
      'deadlines: first day or month of the window (with --to; neither: the quarter of "today"); ' +
        'changes: the point compared from, on its --clock',
      givenOnce,
    )
    .option('--to <day|month|instant>', 'deadlines: last day or month of the window; changes: the point compared to', givenOnce)
    .option(
      '--clock <recorded|effective>',
      'changes: --from and --to as ledger times (default; with --effective-on, not --as-of) ' +
        'or as business dates (with --as-of, not --effective-on)',
      givenOnce,
    )
    .option('--organisation <name>', 'deadlines: only the actions this organisation leads (any of its names)', givenOnce)
    .option('--order <recorded|effective>', 'timeline: as the ledger learned it (default) or as it happened', givenOnce)
    .option('--action <ref>', "timeline: one action's history only", givenOnce)
    .option(
      '-o, --out <file>',
      'write the JSON here, whole or not at all, never over a file already there (default, or -: stdout)',
      givenOnce,
    )
    .option('--force', 'replace the file -o names if one is there (its permissions kept)')
    .option('-d, --data-dir <dir>', 'the data dir (overrides LEDGER_DATA_DIR)', givenOnce)
    .option('--no-progress', 'no progress bar while plans are folded one by one')
    .option(
      '--signed',
      'write the answer in an envelope signed by the ledger (its query, position, reader and a signed checkpoint), for ' +
        '`ledger verify-view`; needs the private signing key, and may sign a checkpoint',
    )
    // An option refused while the command line is read (one given twice) ends as every other refusal does.
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd()}\nNothing was written.\n`) })
    .action(async (view: string, subject: string | undefined, options: Options) => {
      const fail = (message: string, code: number) => {
        process.stderr.write(`ledger view: ${message}\nNothing was written.\n`);
        process.exitCode = code;
      };
      if (!(VIEWS as readonly string[]).includes(view))
        return fail(`unknown view ${quotedForTerminal(view)}; views: ${VIEWS.join(', ')}`, 2);
      const problem = argumentProblem(view as ViewName, subject, options);
      if (problem) return fail(problem, 2);
      const config = configFor(options.dataDir);
      requireExistingDataDir(config, { command: 'view' });
      // Before anything is read or opened: a view that cannot be signed is refused with nothing written.
      let key: LedgerSigningKey | undefined;
      try {
        if (options.signed) key = loadSigningKey({ ...config.signingKey, dataDir: config.dataDir, generate: false }).key;
      } catch (error) {
        return fail(`--signed needs the ledger's private signing key: ${(error as Error).message}`, 1);
      }
      await withBackend(config, async (backend) => {
        const readModels = openReadModels({
          store: backend.events,
          dataDir: config.dataDir,
          directory: createOrganisationAliases(backend.learnedAliases),
        });
        const stopBar = options.progress ? foldBar(readModels) : () => undefined;
        try {
          const { query, notes } = resolveQuery(view as ViewName, options, new Date(await ledgerNow(backend.events, new Date())));
          const { answer, position } = await readView({ backend, readModels }, view as ViewName, subject, query, 'view');
          stopBar();
          const asked = { view: view as ViewName, subject, query };
          const signed = key && (await signedViewOf({ backend, config, key }, asked, { answer, position }));
          const json = JSON.stringify(signed ?? answer, null, 2) + '\n';
          // Read (and signed): what the answer holds in place of a time still to come is said now, never before a refusal.
          for (const note of notes) process.stderr.write(note);
          if (options.out === undefined || options.out === STDOUT) {
            const problem = await writeStdoutWhole(json);
            if (problem) {
              process.stderr.write(cutShort('view', problem));
              process.exitCode = 1;
            }
          } else {
            const problem = writeWhole(options.out, json, options.force === true);
            if (problem) return fail(`-o ${plainForTerminal(options.out)}: ${problem}`, 1);
            const by = signed ? `, signed by key ${signed.signature.keyId} over checkpoint ${signed.checkpoint.treeSize}` : '';
            process.stderr.write(
              `wrote ${whatWasWritten(view, subject, options, query, answer)} to ${plainForTerminal(options.out)}${by}\n`,
            );
          }
        } catch (error) {
          if (error instanceof ReadNotRecorded) return fail(error.message, 1);
          if (error instanceof ViewOptionError) return fail(error.message, 2);
          if (error instanceof ReadRequestError) return fail(inOptionNames(error.message), 2);
          if (error instanceof DomainError) return fail(`${controlsShown(error.message)} [${error.code}]`, 1);
          if (error instanceof CheckpointRefused) return fail(`the ledger will not sign the view: ${error.message}`, 1);
          if (error instanceof NoCheckpoint) return fail(`the ledger holds no events, so no checkpoint can stand under a signed view`, 1);
          if (error instanceof LedgerDamaged) return fail(`the ledger cannot sign the view: ${error.message}`, 1);
          throw error;
        } finally {
          stopBar();
          await readModels.close();
        }
      });
    });
