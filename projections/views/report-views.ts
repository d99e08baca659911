import { firstDayOf, lastDayOf } from '../../events/business-date.ts';
import { notFound } from '../../src/domain/errors.ts';
import { isLive, type Clocks } from '../clocks/clocks.ts';
import { quarterOf } from '../plan-status/dates.ts';
import { WHOLE_REPORT } from '../plan-status/findings-page.ts';
import { compareNames, organisationSummaries } from '../plan-status/organisations.ts';
import { atClocks, clocksOf, DEFAULT_PAGE_SIZE, type ViewDeps } from './plan-views.ts';
import { ReadRequestError } from '../clocks/read-request-error.ts';
import { pageCursor } from './page-cursor.ts';

/** Accountability and the board reports at any pair of clocks, for the API and `ledger view` alike. */

const noOrganisation = (name: string, clocks: Clocks) =>
  notFound(
    'organisation-not-found',
    `No action or recommendation of any plan names an organisation called ${name}${atClocks(clocks)} ` +
      "(one that led an action before a change of lead is in that action's history)",
  );

/** How much of a report to answer: a page (the API's default), or the whole of it (`ledger view` writes whole reports). */
export type ReportPage = { after?: string | undefined; limit?: number | undefined } | typeof WHOLE_REPORT;
const findingsPage = (page: ReportPage) =>
  page === WHOLE_REPORT ? page : { after: pageCursor(page.after), limit: page.limit ?? DEFAULT_PAGE_SIZE };

/**
 * Every organisation's figures at the clocks, in name order: now, from the figures kept beside the
 * lines now (organisations.ts); at a clock, over the lines there, on the view pool's threads too.
 */
export const summariesAt = async ({ reader, directory }: ViewDeps, clocks: Clocks, today: string) =>
  isLive(clocks)
    ? organisationSummaries(await reader.planLines(clocks), today, directory, { kept: true })
    : reader.everyPlan('organisations', clocks, { today }, directory);

/** GET /organisations: one page of accounts in name order; `next` is the name the page after starts after. */
export const organisationsPage = async (
  deps: ViewDeps,
  clocks: Clocks,
  page: { after?: string | undefined; limit?: number | undefined },
) => {
  const today = deps.reader.today(clocks);
  const accounts = await summariesAt(deps, clocks, today);
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const after = pageCursor(page.after);
  const from = after === undefined ? accounts : accounts.filter((a) => compareNames(a.organisation, after) > 0);
  const shown = from.slice(0, limit);
  return {
    ...clocksOf(clocks),
    today,
    limit,
    next: from.length > limit ? shown.at(-1)!.organisation : null,
    organisations: shown,
  };
};

/**
 * GET /organisations/:org: one organisation (any of its names), its figures over every plan and
 * the actions and recommendations behind them of one page of plans (`ledger view` writes them all).
 */
export const organisationView = async (deps: ViewDeps, clocks: Clocks, org: string, page: ReportPage) => {
  const name = deps.directory.canonical(org);
  const today = deps.reader.today(clocks);
  const account = await deps.reader.everyPlan('account', clocks, { today, name, page: findingsPage(page) }, deps.directory);
  if (!account) throw noOrganisation(org, clocks);
  const aliases = deps.directory.list().find((o) => o.name === name)?.aliases ?? [];
  return { ...clocksOf(clocks), today, aliases, ...account };
};

/**
 * GET /reports/deadlines: the window asked for (days or months, both or neither), else the
 * calendar quarter holding "today" at the clocks; `period` says which. One page of actions
 * (whole plans, in plan-id order) with the totals over every plan.
 */
export const deadlinesView = async (
  deps: ViewDeps,
  clocks: Clocks,
  query: { from?: string | undefined; to?: string | undefined; organisation?: string | undefined },
  page: ReportPage,
) => {
  const today = deps.reader.today(clocks);
  const requested = query.from !== undefined && query.to !== undefined;
  const { from, to } = requested ? { from: firstDayOf(query.from!), to: lastDayOf(query.to!) } : quarterOf(today);
  if (from > to) throw new ReadRequestError('invalid-window', 'from', `from (${query.from}) is after to (${query.to})`);
  const window = { from, to, organisation: query.organisation };
  const report = await deps.reader.everyPlan('deadlines', clocks, { window, today, page: findingsPage(page) }, deps.directory);
  // An organisation that leads an action in the report is named by a plan; only an empty report needs to look further.
  const none = Object.values(report.totals).every((n) => n === 0);
  const named = async () => (await summariesAt(deps, clocks, today)).some((a) => a.organisation === report.organisation);
  if (query.organisation !== undefined && none && !(await named())) throw noOrganisation(query.organisation, clocks);
  return { ...clocksOf(clocks), period: requested ? ('requested' as const) : ('current-quarter' as const), ...report };
};

/** GET /reports/discrepancies at these clocks: one page of findings (whole plans, in plan-id order) with the totals over every plan. */
export const discrepanciesView = async (deps: ViewDeps, clocks: Clocks, page: ReportPage) => {
  const today = deps.reader.today(clocks);
  const report = await deps.reader.everyPlan('discrepancies', clocks, { today, page: findingsPage(page) }, deps.directory);
  return { ...clocksOf(clocks), ...report };
};
