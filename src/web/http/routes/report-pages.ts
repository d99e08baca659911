import type { FastifyInstance } from 'fastify';
import { firstDayOf, lastDayOf } from '../../../../events/business-date.ts';
import { missHiddenByClosure } from '../../../../projections/plan-status/plan-lines.ts';
import type { deadlineReport } from '../../../../projections/plan-status/deadline-report.ts';
import { WHOLE_REPORT, type FindingsPage } from '../../../../projections/plan-status/findings-page.ts';
import { discrepanciesView, organisationsPage, summariesAt } from '../../../../projections/views/report-views.ts';
import { findingsPageQuery, noSuchPage } from '../findings-paging.ts';
import type { Clocks } from '../../../../projections/clocks/clocks.ts';
import { ledgerNow } from '../../../store/ledger-now.ts';
import { csvDisposition, deadlinesCsv, deadlinesCsvName } from '../../deadlines-csv.ts';
import { deadlineWindow, type DeadlineQuery } from '../../deadline-window.ts';
import type { TimeTravel } from '../../time-travel.ts';
import { renderPage } from '../render.ts';
import type { WebRouteDeps } from '../web-deps.ts';
import { notFoundPage } from './not-found.ts';

const OUTCOMES = [
  { key: 'met', text: 'Met' },
  { key: 'missed', text: 'Missed' },
  { key: 'revised', text: 'Revised (with reason)' },
  { key: 'open', text: 'Still open' },
  { key: 'closed', text: 'Closed (subsumed or withdrawn)' },
] as const;

type DeadlineRow = ReturnType<typeof deadlineReport>['actions'][number];
/** A row with the late closure the page tags (plan-lines.ts, `missHiddenByClosure`), as the plan and action pages do. */
const withLateClosureTag = (row: DeadlineRow) => ({ ...row, lateClosure: missHiddenByClosure(row) });

/** The clocks a report was read at, in words, for a sentence about what was not found then ('' for the present). */
const atDates = (travel: TimeTravel) =>
  [travel.effectiveOn && ` ${travel.effectiveLabel}`, travel.past && ` as the ledger stood at ${travel.label}`].filter(Boolean).join(',');

/** Accountability per organisation, the deadlines report for a board (with CSV), and the discrepancies: the API's queries. */
export const reportPages = (deps: WebRouteDeps) => async (app: FastifyInstance) => {
  const { reader, directory } = deps.read;
  const page = { access: 'projection' as const, page: true };
  /** Every organisation's figures at the clocks, as the API's (through the read workers at a clock). */
  const accountsAt = (clocks: Clocks, today: string) => summariesAt({ reader, directory }, clocks, today);

  // A page of organisations in name order, as GET /organisations pages them: a ledger may name hundreds.
  app.get('/organisations', { config: page, schema: { hide: true } }, async (request, reply) => {
    const travel = request.timeTravel!;
    const pages = findingsPageQuery('/web/organisations', request.query as { after?: unknown; limit?: unknown });
    if (!pages) return renderPage(request, reply, 'refused.njk', noSuchPage('the organisations', 'an organisation name'), 400);
    const read = await organisationsPage({ reader, directory }, travel.clocks, { after: pages.after, limit: pages.limit });
    return renderPage(request, reply, 'organisations.njk', {
      pageTitle: 'Organisations',
      accounts: read.organisations,
      today: read.today,
      pages,
      keepQuery: pages.keepQuery,
      nextHref: pages.nextHref(read.next),
      nextAfter: read.next,
      timeTravelForm: true,
    });
  });

  app.get('/organisations/:org', { config: page, schema: { hide: true } }, async (request, reply) => {
    const travel = request.timeTravel!;
    // Cut to 300 without halving a character above U+FFFF: a lone surrogate left at the end would make the page's own
    // address (its Next and First page links) throw in encodeURIComponent, a 500 for a name typed too long.
    const asked = String((request.params as { org: string }).org)
      .slice(0, 300)
      .replace(/[\uD800-\uDBFF]$/, '');
    const name = directory.canonical(asked);
    const today = reader.today(travel.clocks);
    const pages = findingsPageQuery(
      `/web/organisations/${encodeURIComponent(asked)}`,
      request.query as { after?: unknown; limit?: unknown },
    );
    if (!pages) return renderPage(request, reply, 'refused.njk', noSuchPage(`${asked}'s actions`), 400);
    const account = await reader.everyPlan(
      'account',
      travel.clocks,
      { today, name, page: { after: pages.after, limit: pages.limit } },
      directory,
    );
    if (!account)
      return notFoundPage(
        request,
        reply,
        'No such organisation',
        `No action or recommendation of any plan ${travel.live ? 'names' : 'named'} an organisation called ${asked}${atDates(travel)}. ` +
          "One that led an action before a change of lead is in that action's history.",
      );
    const aliases = directory.list().find((o) => o.name === name)?.aliases ?? [];
    return renderPage(request, reply, 'organisation.njk', {
      pageTitle: account.organisation,
      account,
      aliases,
      asked,
      today,
      timeTravelForm: true,
      keepQuery: pages.keepQuery,
      pages,
      nextHref: pages.nextHref(account.next),
      nextAfter: account.next,
    });
  });

  /** The report for the period and organisation asked (`window`, read by deadlineWindow at `today`). */
  const report = async (
    window: ReturnType<typeof deadlineWindow>,
    today: string,
    clocks: Clocks,
    travel: TimeTravel,
    page: FindingsPage | typeof WHOLE_REPORT = WHOLE_REPORT,
  ) => {
    const organisations = (await accountsAt(clocks, today)).map((a) => a.organisation);
    // An organisation no plan names (at these dates: a choice kept from the present may be named only later) is said so,
    // as the API's 404 says, rather than shown a report of noughts that reads as "nothing was due".
    const unknown = window.organisation !== undefined && !organisations.includes(directory.canonical(window.organisation));
    if (unknown)
      window.errors.push({
        text:
          `No action or recommendation of any plan names an organisation called ${window.organisation}${atDates(travel)}: ` +
          'choose one from the list',
        href: '#organisation',
      });
    if (window.errors.length) return { window, organisations, today, result: undefined, unknown };
    const days = { from: firstDayOf(window.from), to: lastDayOf(window.to), organisation: window.organisation };
    const result = await reader.everyPlan('deadlines', clocks, { window: days, today, page }, directory);
    return { window, organisations, today, result, unknown };
  };

  app.get('/reports/deadlines', { config: page, schema: { hide: true } }, async (request, reply) => {
    const travel = request.timeTravel!;
    const query = request.query as DeadlineQuery & { after?: unknown; limit?: unknown };
    const today = reader.today(travel.clocks);
    const asked = deadlineWindow(query, today);
    // The links to the next page keep the period and organisation asked for (never the quarter, which moves with the clocks).
    const pages = findingsPageQuery('/web/reports/deadlines', query, asked.asked);
    if (!pages) return renderPage(request, reply, 'refused.njk', noSuchPage('the deadlines report'), 400);
    const { window, organisations, result, unknown } = await report(asked, today, travel.clocks, travel, {
      after: pages.after,
      limit: pages.limit,
    });
    const csvQuery = new URLSearchParams({
      from: window.from,
      to: window.to,
      ...(window.organisation ? { organisation: window.organisation } : {}),
    });
    const csvHref = `/web/reports/deadlines.csv?${csvQuery}${travel.query ? `&${travel.query}` : ''}`;
    return renderPage(
      request,
      reply,
      'deadlines.njk',
      {
        pageTitle: 'Deadlines report',
        window,
        organisations,
        today,
        report: result,
        outcomes: OUTCOMES,
        // Grouped here, not by a template filter: nunjucks' selectattr ignores a test named beside the attribute.
        groups: result
          ? OUTCOMES.map((o) => ({ ...o, rows: result.actions.filter((a) => a.outcome === o.key).map(withLateClosureTag) }))
          : [],
        errors: window.errors,
        // Each field's own message beside it, as the summary links to it (nunjucks' selectattr cannot pick by value).
        fieldErrors: Object.fromEntries(window.errors.map((e) => [e.href.slice(1), e.text])),
        csvHref,
        // Chosen again on a refused period too, by its name in the list (the report's own name when there is one).
        chosenOrganisation: window.organisation && directory.canonical(window.organisation),
        organisationNotListed: unknown ? window.organisation : undefined,
        // What was asked: a quarter taken for want of a period moves with the clocks, so it is not kept; and a page's limit.
        keepQuery: { ...window.asked, ...pages.keepQuery },
        timeTravelForm: true,
        pages,
        nextHref: result ? pages.nextHref(result.next) : undefined,
        nextAfter: result?.next,
      },
      // Only an organisation not found, as the API answers it: 404; a period refused with it or alone: 400.
      window.errors.length === 0 ? 200 : unknown && window.errors.length === 1 ? 404 : 400,
    );
  });

  app.get('/reports/deadlines.csv', { config: { ...page, download: true }, schema: { hide: true } }, async (request, reply) => {
    const travel = request.timeTravel!;
    // Today's ledger is read at the moment of the read, named in the file: once saved, it is told apart from a later one.
    const asOf = travel.past ? travel.asOf : await ledgerNow(deps.store, deps.clock());
    const clocksRead = { ...travel.clocks, asOf };
    const today = reader.today(clocksRead);
    const { window, result, unknown } = await report(deadlineWindow(request.query as DeadlineQuery, today), today, clocksRead, travel);
    if (!result)
      return renderPage(
        request,
        reply,
        'refused.njk',
        {
          pageTitle: unknown && window.errors.length === 1 ? 'No such organisation' : 'The period is not valid',
          problem: {
            title: unknown && window.errors.length === 1 ? 'No such organisation' : 'The period is not valid',
            detail: window.errors.map((e) => e.text).join('. '),
          },
        },
        unknown && window.errors.length === 1 ? 404 : 400,
      );
    const clocks = { asOf, asOfDay: travel.past && travel.value.length === 10 ? travel.value : undefined, effectiveOn: travel.effectiveOn };
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', csvDisposition(deadlinesCsvName({ ...window, organisation: result.organisation }, clocks)))
      .send(deadlinesCsv(result, clocks));
  });

  app.get('/reports/discrepancies', { config: page, schema: { hide: true } }, async (request, reply) => {
    const travel = request.timeTravel!;
    const today = reader.today(travel.clocks);
    const pages = findingsPageQuery('/web/reports/discrepancies', request.query as { after?: unknown; limit?: unknown });
    if (!pages) return renderPage(request, reply, 'refused.njk', noSuchPage('discrepancies'), 400);
    const found = await discrepanciesView({ reader, directory }, travel.clocks, { after: pages.after, limit: pages.limit });
    return renderPage(request, reply, 'discrepancies.njk', {
      pageTitle: 'Discrepancies',
      found,
      today,
      timeTravelForm: true,
      keepQuery: pages.keepQuery,
      pages,
      nextHref: pages.nextHref(found.next),
      nextAfter: found.next,
    });
  });
};
