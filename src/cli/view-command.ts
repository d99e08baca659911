import { ledgerNow } from '../store/ledger-now.ts';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { z } from 'zod';
import { Ref } from '../../events/plan/common.ts';
import { PlanId } from '../api/http/plan-params.ts';
import { OrganisationName } from '../domain/organisation-name.ts';
import { givenOnce } from './given-once.ts';
import { whyNotWritable, writeWhole } from './write-whole.ts';
import { plainValidationMessage } from '../http/plain-validation-message.ts';
import { BusinessDate } from '../../events/business-date.ts';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { ledgerTimeRefusal, LedgerTime } from '../../projections/clocks/ledger-time.ts';
import { ReadRequestError } from '../../projections/clocks/read-request-error.ts';
import { openReadModels } from '../../projections/read-models.ts';
import { planView, plansPage, timelineView, type ViewDeps } from '../../projections/views/plan-views.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { deadlinesView, discrepanciesView, organisationsPage, organisationView } from '../../projections/views/report-views.ts';
import { DomainError } from '../domain/errors.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { createOrganisationAliases } from '../organisations/organisation-aliases.ts';
import { configFor, withBackend } from './with-backend.ts';

interface Options {
  asOf?: string;
  order?: string;
  action?: string;
  effectiveOn?: string;
  from?: string;
  to?: string;
  organisation?: string;
  out?: string;
  force?: boolean;
  dataDir?: string;
  progress: boolean;
}

/** A wrong option: named, with what it should be; nothing is written. */
class ViewOptionError extends Error {}

/**
 * `--as-of`: read as the API reads `asOf` (ledger-time.ts); the moment the command runs when
 * omitted, or when it is later than that. The file names the ledger time it was read at, so that
 * it says which state of the ledger it holds: a time still to come would name a state not reached.
 */
const ledgerTime = (value: string | undefined, now: Date): string => {
  const moment = now.toISOString();
  if (value === undefined) return moment;
  const parsed = LedgerTime.safeParse(value);
  if (!parsed.success) throw new ViewOptionError(`--as-of ${value}: ${ledgerTimeRefusal(value)}`);
  if (parsed.data <= moment) return parsed.data;
  process.stderr.write(`ledger view: --as-of ${value} is still to come; reading the ledger as it stands now, ${moment}\n`);
  return moment;
};

/** Why a business date option is refused, or undefined when it is read. */
const businessDateProblem = (option: string, value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const parsed = BusinessDate.safeParse(value);
  if (parsed.success) return undefined;
  // The API's own words, so "2026-02-29" is told it is no real date rather than shown the format it follows.
  return `${option} ${value}: ${parsed.error.issues[0]?.message ?? 'must be a day (YYYY-MM-DD) or a month (YYYY-MM)'}`;
};

const businessDate = (option: string, value: string | undefined): string | undefined => {
  const problem = businessDateProblem(option, value);
  if (problem) throw new ViewOptionError(problem);
  return value;
};

const VIEWS = ['plans', 'plan', 'timeline', 'organisations', 'organisation', 'deadlines', 'discrepancies'] as const;
type ViewName = (typeof VIEWS)[number];
/** What each view that takes a subject takes; the others take none. */
const SUBJECTS: Partial<Record<ViewName, string>> = { plan: 'a plan id', timeline: 'a plan id', organisation: 'an organisation name' };

/** Options that only some views read: given to another, they would be silently ignored. */
const ONLY_FOR: Array<[keyof Options, string, readonly ViewName[]]> = [
  ['from', '--from', ['deadlines']],
  ['to', '--to', ['deadlines']],
  ['organisation', '--organisation', ['deadlines']],
  ['order', '--order', ['timeline']],
  ['action', '--action', ['timeline']],
];

/** The view's arguments as it reads them, or why not. */
const argumentProblem = (view: ViewName, subject: string | undefined, options: Options): string | undefined => {
  const takes = SUBJECTS[view];
  if (takes && subject === undefined) return `${view} needs ${takes}`;
  if (!takes && subject !== undefined) return `${view} takes no plan or organisation ("${subject}" given)`;
  // Checked as the API checks its path and query, so a view refuses what a request would.
  const checks: Array<[string, string | undefined, z.ZodType]> = [
    [view, subject, takes === SUBJECTS.organisation ? OrganisationName : PlanId],
    ['--organisation', options.organisation, OrganisationName],
    ['--action', options.action, Ref],
  ];
  for (const [name, value, schema] of checks) {
    const checked = value === undefined ? undefined : schema.safeParse(value);
    if (!checked || checked.success) continue;
    const issue = checked.error.issues[0]!;
    // In the API's words ("must not be empty"); the value quoted as JSON, so a control character in it is shown, not sent to the terminal.
    const message = plainValidationMessage({ keyword: issue.code, message: issue.message, params: { ...issue } });
    return `${name} ${JSON.stringify(value)}: ${message}`;
  }
  for (const [key, flag, views] of ONLY_FOR)
    if (options[key] !== undefined && !views.includes(view)) return `${flag} is read by ${views.join(', ')} only, not by ${view}`;
  if (options.force && (options.out === undefined || options.out === STDOUT))
    return '--force replaces the file -o names: give it with -o <file>';
  if (options.order !== undefined && options.order !== 'recorded' && options.order !== 'effective')
    return `--order ${options.order}: must be recorded (as the ledger learned it) or effective (as it happened)`;
  // The clocks' forms, before the read store is opened (opening it may make its file): a refusal writes nothing.
  if (options.asOf !== undefined && !LedgerTime.safeParse(options.asOf).success)
    return `--as-of ${options.asOf}: ${ledgerTimeRefusal(options.asOf)}`;
  for (const [flag, value] of [
    ['--effective-on', options.effectiveOn],
    ['--from', options.from],
    ['--to', options.to],
  ] as const) {
    const problem = businessDateProblem(flag, value);
    if (problem) return problem;
  }
  if ((options.from === undefined) !== (options.to === undefined)) return 'give both --from and --to, or neither';
  // Where the file goes, before the view is worked out: at ten million events that is minutes.
  const refused = options.out === undefined || options.out === STDOUT ? undefined : whyNotWritable(options.out, options.force === true);
  if (refused) return `-o ${options.out}: ${refused}`;
  return undefined;
};

/** Every plan (or organisation) at the clocks: the API's pages, followed to the last. */
const allPages = async <T>(
  page: (after: string | undefined) => Promise<{ next: string | null } & Record<string, unknown>>,
  key: string,
) => {
  const items: T[] = [];
  let after: string | undefined;
  let first: Record<string, unknown> | undefined;
  do {
    const answer = await page(after);
    first ??= answer;
    items.push(...(answer[key] as T[]));
    after = answer.next ?? undefined;
  } while (after !== undefined);
  return { ...first, limit: items.length, next: null, [key]: items };
};

const answerView = async (deps: ViewDeps, clocks: Clocks, view: ViewName, subject: string | undefined, options: Options) => {
  switch (view) {
    case 'plans':
      return allPages((after) => plansPage(deps, clocks, { after, limit: 1000 }, -1n), 'plans');
    case 'plan': {
      const { body, retraction } = await planView(deps, clocks, subject!);
      return retraction ? { ...body, retraction } : body;
    }
    case 'timeline':
      return timelineView(deps, clocks, subject!, options.action === undefined ? null : Ref.parse(options.action), {
        order: options.order === 'effective' ? 'effective' : 'recorded',
      });
    case 'organisations':
      return allPages((after) => organisationsPage(deps, clocks, { after, limit: 1000 }), 'organisations');
    case 'organisation':
      return organisationView(deps, clocks, subject!.trim(), WHOLE_REPORT);
    case 'deadlines':
      return deadlinesView(
        deps,
        clocks,
        { from: businessDate('--from', options.from), to: businessDate('--to', options.to), organisation: options.organisation?.trim() },
        WHOLE_REPORT,
      );
    case 'discrepancies':
      return discrepanciesView(deps, clocks, WHOLE_REPORT);
  }
};

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

/** `-o -`: the answer goes to stdout, as without `-o`. */
const STDOUT = '-';

/** A refusal of the clocks says them as the command's options, not as the API's parameters. */
const inOptionNames = (message: string) => message.replace(/\beffectiveOn\b/g, '--effective-on').replace(/\basOf\b/g, '--as-of');

/** What the file holds, in words: the view, its subject, every option that shaped it, the clocks, and a retraction. */
const whatWasWritten = (view: string, subject: string | undefined, options: Options, clocks: Clocks, answer: unknown) => {
  const shaped = [
    options.from !== undefined && `from ${options.from} to ${options.to}`,
    options.organisation !== undefined && `for ${options.organisation.trim()}`,
    options.action !== undefined && `of action ${options.action}`,
    options.order !== undefined && `in ${options.order} order`,
  ].filter(Boolean);
  const retracted =
    typeof answer === 'object' && answer !== null && 'retraction' in answer && answer.retraction
      ? ' (retracted at these clocks: see its retraction)'
      : '';
  return (
    `${view}${subject ? ` ${subject}` : ''}${shaped.length > 0 ? ` ${shaped.join(', ')}` : ''}${retracted} as of ${clocks.asOf}` +
    `${clocks.effectiveOn ? `, effective on ${clocks.effectiveOn}` : ''}`
  );
};

/**
 * `ledger view <view> [subject]`: a read view at both clocks, as JSON, to a file or stdout —
 * for an auditor who keeps what the ledger answered. The same views as the API
 * (projections/views), answered from the ledger at `--as-of` (default: the moment the command
 * runs, which the answer names): the read store speeds it up where it has caught up, and the
 * ledger itself answers where it has not, so a stopped or lagging server never makes it stale.
 */
export const addViewCommand = (program: Command) =>
  program
    .command('view <view> [subject]')
    .description(`Write a read view at both clocks as JSON (${VIEWS.join(', ')}; plan, timeline and organisation take a plan id or a name)`)
    .option('--as-of <instant|day>', 'ledger time: as the ledger stood then (a day means its end in London; default: now)', givenOnce)
    .option('--effective-on <day|month>', 'business time: what was true then, as the ledger knew it at --as-of', givenOnce)
    .option('--from <day|month>', 'deadlines: first day or month of the window (with --to; neither: the quarter of "today")', givenOnce)
    .option('--to <day|month>', 'deadlines: last day or month of the window', givenOnce)
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
    // An option refused while the command line is read (one given twice) ends as every other refusal does.
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd()}\nNothing was written.\n`) })
    .action(async (view: string, subject: string | undefined, options: Options) => {
      const fail = (message: string, code: number) => {
        process.stderr.write(`ledger view: ${message}\nNothing was written.\n`);
        process.exitCode = code;
      };
      if (!(VIEWS as readonly string[]).includes(view)) return fail(`unknown view "${view}"; views: ${VIEWS.join(', ')}`, 2);
      const problem = argumentProblem(view as ViewName, subject, options);
      if (problem) return fail(problem, 2);
      const config = configFor(options.dataDir);
      requireExistingDataDir(config, { command: 'view' });
      await withBackend(config, async (backend) => {
        const readModels = openReadModels({
          store: backend.events,
          dataDir: config.dataDir,
          directory: createOrganisationAliases(backend.learnedAliases),
        });
        const stopBar = options.progress ? foldBar(readModels) : () => undefined;
        try {
          const clocks = readModels.reader.check({
            asOf: ledgerTime(options.asOf, new Date(await ledgerNow(backend.events, new Date()))),
            effectiveOn: businessDate('--effective-on', options.effectiveOn),
          });
          const answer = await answerView(readModels, clocks, view as ViewName, subject, options);
          stopBar();
          const json = JSON.stringify(answer, null, 2) + '\n';
          if (options.out === undefined || options.out === STDOUT) process.stdout.write(json);
          else {
            const problem = writeWhole(options.out, json, options.force === true);
            if (problem) return fail(`-o ${options.out}: ${problem}`, 1);
            process.stderr.write(`wrote ${whatWasWritten(view, subject, options, clocks, answer)} to ${options.out}\n`);
          }
        } catch (error) {
          if (error instanceof ViewOptionError) return fail(error.message, 2);
          if (error instanceof ReadRequestError) return fail(inOptionNames(error.message), 2);
          if (error instanceof DomainError) return fail(`${error.message} [${error.code}]`, 1);
          throw error;
        } finally {
          stopBar();
          await readModels.close();
        }
      });
    });
