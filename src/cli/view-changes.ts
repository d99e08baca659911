import { BusinessDate } from '../../events/business-date.ts';
import { ledgerTimeRefusal, LedgerTime } from '../../projections/clocks/ledger-time.ts';

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
    return `--clock ${options.clock}: must be recorded (from and to are ledger times) or effective (from and to are business dates)`;
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
    if (clock === 'recorded' && !LedgerTime.safeParse(value).success) return `${flag} ${value}: ${ledgerTimeRefusal(value)}`;
    if (clock === 'effective' && !BusinessDate.safeParse(value).success)
      return `${flag} ${value}: on the business clock, must be a day (YYYY-MM-DD) or a month (YYYY-MM)`;
  }
  return undefined;
};

/**
 * The window as it is read: on the ledger clock, `--from` and `--to` as instants, a time still to
 * come read as the moment the command runs (`asOf`). A window the wrong way round goes as asked,
 * for changesView to refuse naming those times: read as now, two ends still to come would be equal
 * and pass as an empty window.
 */
export const changesWindow = (options: ChangesOptions, asOf: string): { from: string; to: string } => {
  const from = options.from!;
  const to = options.to!;
  if (clockOf(options) !== 'recorded') return { from, to };
  const recorded = { from: LedgerTime.parse(from), to: LedgerTime.parse(to) };
  return recorded.from > recorded.to ? recorded : { from: notAfter(recorded.from, asOf), to: notAfter(recorded.to, asOf) };
};

/**
 * A ledger time still to come is read as the moment the command runs, as `--as-of` is, and the
 * file names that moment: a time not yet reached would name a state of the ledger not reached.
 */
const notAfter = (instant: string, now: string): string => {
  if (instant <= now) return instant;
  process.stderr.write(`ledger view: ${instant} is still to come; comparing the ledger as it stands now, ${now}\n`);
  return now;
};

/** The clocks of a changes file, in words, for the line on stderr. */
export const changesWords = (options: ChangesOptions, asOf: string): string =>
  clockOf(options) === 'recorded'
    ? `recorded from ${options.from} to ${options.to}${options.effectiveOn ? `, effective on ${options.effectiveOn}` : ''}`
    : `effective from ${options.from} to ${options.to}, as of ${asOf}`;
