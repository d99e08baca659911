import { BusinessDate } from '../../events/business-date.ts';
import { ledgerTimeRefusal, LedgerTime } from '../../projections/clocks/ledger-time.ts';
import { plainForTerminal } from './terminal-text.ts';

/** What `ledger view changes` reads of the command line (the rest of view's options are refused for it). */
export interface ChangesOptions {
  clock?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  asOf?: string | undefined;
  effectiveOn?: string | undefined;
}

const clockOf = (options: ChangesOptions): 'recorded' | 'effective' => (options.clock === 'effective' ? 'effective' : 'recorded');

/**
 * Why `changes` cannot be read with these options, or undefined: as the API's
 * `GET /plans/:planId/changes` refuses them. `--from` and `--to` are on the clock `--clock` names
 * (ledger times on the ledger clock, the default; business dates on the business clock), and the
 * other clock is the one `--as-of` or `--effective-on` holds still.
 */
export const changesOptionProblem = (options: ChangesOptions): string | undefined => {
  if (options.clock !== undefined && options.clock !== 'recorded' && options.clock !== 'effective')
    return (
      `--clock ${plainForTerminal(options.clock)}: ` +
      'must be recorded (from and to are ledger times) or effective (from and to are business dates)'
    );
  if (options.from === undefined || options.to === undefined) return 'changes needs --from and --to';
  const clock = clockOf(options);
  if (clock === 'recorded' && options.asOf !== undefined)
    return '--as-of does not go with --clock recorded: --from and --to are the ledger times compared';
  if (clock === 'effective' && options.effectiveOn !== undefined)
    return '--effective-on does not go with --clock effective: --from and --to are the business dates compared';
  for (const [flag, value] of [
    ['--from', options.from],
    ['--to', options.to],
  ] as const) {
    if (clock === 'recorded' && !LedgerTime.safeParse(value).success)
      return `${flag} ${plainForTerminal(value)}: ${ledgerTimeRefusal(value)}`;
    if (clock === 'effective' && !BusinessDate.safeParse(value).success)
      return `${flag} ${plainForTerminal(value)}: on the business clock, must be a day (YYYY-MM-DD) or a month (YYYY-MM)`;
  }
  return undefined;
};

/** The clocks of a changes file, in words, for the line on stderr. */
export const changesWords = (options: ChangesOptions, asOf: string): string =>
  clockOf(options) === 'recorded'
    ? `recorded from ${options.from} to ${options.to}${options.effectiveOn ? `, effective on ${options.effectiveOn}` : ''}`
    : `effective from ${options.from} to ${options.to}, as of ${asOf}`;
