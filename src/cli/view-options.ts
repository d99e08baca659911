import type { z } from 'zod';
import { Ref } from '../../events/plan/common.ts';
import { BusinessDate } from '../../events/business-date.ts';
import { ledgerTimeRefusal, LedgerTime } from '../../projections/clocks/ledger-time.ts';
import { PlanId } from '../api/http/plan-params.ts';
import { OrganisationName } from '../domain/organisation-name.ts';
import { plainValidationMessage } from '../http/plain-validation-message.ts';
import { changesOptionProblem } from './view-changes.ts';
import { plainForTerminal, quotedForTerminal } from './terminal-text.ts';
import { whyNotWritable } from './write-whole.ts';
import { OPTIONS_FOR, SUBJECT_WORDS, subjectLineProblem, VIEW_SUBJECTS, type ViewName, type ViewQuery } from '../views/named-view.ts';

/*
 * What `ledger view` reads of its command line, and why it refuses what it refuses: checked
 * before the read store is opened, so a refusal writes nothing (view-command.ts).
 */

/** `-o -`: the answer goes to stdout, as without `-o`. */
export const STDOUT = '-';

export interface Options {
  asOf?: string;
  order?: string;
  clock?: string;
  action?: string;
  effectiveOn?: string;
  from?: string;
  to?: string;
  organisation?: string;
  out?: string;
  force?: boolean;
  dataDir?: string;
  progress: boolean;
  /** `--signed`: the answer in a signed envelope (signed-view.ts). */
  signed?: boolean;
}

/** A wrong option: named, with what it should be; nothing is written. */
export class ViewOptionError extends Error {}

/** Why a business date option is refused, or undefined when it is read. */
const businessDateProblem = (option: string, value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const parsed = BusinessDate.safeParse(value);
  if (parsed.success) return undefined;
  // The API's own words, so "2026-02-29" is told it is no real date rather than shown the format it follows.
  return `${option} ${plainForTerminal(value)}: ${parsed.error.issues[0]?.message ?? 'must be a day (YYYY-MM-DD) or a month (YYYY-MM)'}`;
};

export const businessDate = (option: string, value: string | undefined): string | undefined => {
  const problem = businessDateProblem(option, value);
  if (problem) throw new ViewOptionError(problem);
  return value;
};

export { VIEWS, type ViewName } from '../views/named-view.ts';
/** Each option of a view's query as `ledger view` takes it. */
export const VIEW_FLAGS: Record<keyof ViewQuery, string> = {
  asOf: '--as-of',
  effectiveOn: '--effective-on',
  from: '--from',
  to: '--to',
  clock: '--clock',
  organisation: '--organisation',
  order: '--order',
  action: '--action',
};

/** The view's arguments as it reads them, or why not. */
export const argumentProblem = (view: ViewName, subject: string | undefined, options: Options): string | undefined => {
  const kind = VIEW_SUBJECTS[view];
  const takes = kind && SUBJECT_WORDS[kind];
  if (takes && subject === undefined) return `${view} needs ${takes}`;
  if (!takes && subject !== undefined) return `${view} takes no plan or organisation (${quotedForTerminal(subject)} given)`;
  const onOneLine = subject === undefined ? undefined : subjectLineProblem(subject);
  if (onOneLine) return `${view} ${quotedForTerminal(subject)}: ${onOneLine}`;
  // Checked as the API checks its path and query, so a view refuses what a request would.
  const checks: Array<[string, string | undefined, z.ZodType]> = [
    [view, subject, kind === 'organisation' ? OrganisationName : PlanId],
    ['--organisation', options.organisation, OrganisationName],
    ['--action', options.action, Ref],
  ];
  for (const [name, value, schema] of checks) {
    const checked = value === undefined ? undefined : schema.safeParse(value);
    if (!checked || checked.success) continue;
    const issue = checked.error.issues[0]!;
    // In the API's words ("must not be empty"); the value quoted, so a control character in it (DEL and C1 too) is
    // shown, not sent to the terminal.
    const message = plainValidationMessage({ keyword: issue.code, message: issue.message, params: { ...issue } });
    return `${name} ${quotedForTerminal(value)}: ${message}`;
  }
  for (const [key, views] of OPTIONS_FOR)
    if (options[key] !== undefined && !views.includes(view))
      return `${VIEW_FLAGS[key]} is read by ${views.join(', ')} only, not by ${view}`;
  if (options.force && (options.out === undefined || options.out === STDOUT))
    return '--force replaces the file -o names: give it with -o <file>';
  if (options.order !== undefined && options.order !== 'recorded' && options.order !== 'effective')
    return `--order ${plainForTerminal(options.order)}: must be recorded (as the ledger learned it) or effective (as it happened)`;
  // The clocks' forms, before the read store is opened (opening it may make its file): a refusal writes nothing.
  if (options.asOf !== undefined && !LedgerTime.safeParse(options.asOf).success)
    return `--as-of ${plainForTerminal(options.asOf)}: ${ledgerTimeRefusal(options.asOf)}`;
  // changes reads --from and --to on the clock it compares (view-changes.ts); deadlines, as business dates.
  const changes = view === 'changes' ? changesOptionProblem(options) : undefined;
  if (changes) return changes;
  for (const [flag, value] of [
    ['--effective-on', options.effectiveOn],
    ['--from', view === 'changes' ? undefined : options.from],
    ['--to', view === 'changes' ? undefined : options.to],
  ] as const) {
    const problem = businessDateProblem(flag, value);
    if (problem) return problem;
  }
  if ((options.from === undefined) !== (options.to === undefined)) return 'give both --from and --to, or neither';
  // Where the file goes, before the view is worked out: at ten million events that is minutes.
  const refused = options.out === undefined || options.out === STDOUT ? undefined : whyNotWritable(options.out, options.force === true);
  if (refused) return `-o ${plainForTerminal(options.out!)}: ${refused}`;
  return undefined;
};
