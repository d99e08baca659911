import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BusinessDate } from '../../../events/business-date.ts';
import { deadlinesView, discrepanciesView, organisationsPage, organisationView } from '../../../projections/views/report-views.ts';
import { clocksOfQuery, readQuery, registerReadYourWrites, type ReadModelDeps } from '../read-query.ts';
import type { Clocks } from '../../../projections/clocks/clocks.ts';
import { answeredPosition } from '../../../projections/views/plan-views.ts';
import { DeadlineReportJson, DiscrepanciesJson, OrganisationJson, OrganisationsJson, readResponses } from '../read-shapes.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import { PageQuery } from './plan-read-routes.ts';
import { OrganisationName } from '../../domain/organisation-name.ts';

const OrganisationParams = z.object({ org: OrganisationName.describe('Any name or alias of the organisation') }).strict();
const OrganisationsQuery = z.object({ ...readQuery, ...PageQuery }).strict();
/** A report's page: `limit` counts findings, and a page holds whole plans, so it may hold a few more. */
const ReportPageQuery = {
  limit: PageQuery.limit.describe(
    'At least this many findings, of whole plans (default 100, at most 1000); `next` names the plan the next page starts after',
  ),
  after: PageQuery.after.describe('Continue after this plan id: the `next` of the previous page'),
};
const DiscrepancyQuery = z.object({ ...readQuery, ...ReportPageQuery }).strict();
/** An organisation's page: `limit` counts the actions and recommendations listed, of whole plans. */
const OrganisationQuery = z
  .object({
    ...readQuery,
    limit: PageQuery.limit.describe(
      'At least this many actions and recommendations, of whole plans (default 100, at most 1000); ' +
        '`next` names the plan the next page starts after',
    ),
    after: ReportPageQuery.after,
  })
  .strict();
const DeadlineQuery = z
  .object({
    ...readQuery,
    ...ReportPageQuery,
    from: BusinessDate.optional().describe(
      'First day (YYYY-MM-DD) or month (YYYY-MM) of the window; with `to`, or neither for the current quarter (London)',
    ),
    to: BusinessDate.optional().describe('Last day or month of the window; with `from`, or neither for the current quarter (London)'),
    organisation: OrganisationName.optional().describe('Only actions this organisation leads (any alias)'),
  })
  .strict()
  .superRefine((query, ctx) => {
    // Half a window is more likely a mistake than a wish for some default other half.
    const missing =
      query.from === undefined && query.to !== undefined ? 'from' : query.to === undefined && query.from !== undefined ? 'to' : undefined;
    if (missing !== undefined)
      ctx.addIssue({ code: 'custom', path: [missing], message: 'give both from and to, or neither for the current quarter' });
  });

/** Accountability per organisation and the board reports, at any pair of clocks. */
export const reportRoutes = (deps: ReadModelDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  registerReadYourWrites(root, deps);
  const config: RouteAccessConfig = { access: 'projection' };
  /** A view with the ledger position it includes, as `GET /plans` names it; live, where the read models stood before it was read. */
  const withPosition = async <T extends object>(query: Parameters<typeof clocksOfQuery>[1], view: (clocks: Clocks) => Promise<T>) => {
    const live = deps.runner.position();
    const clocks = await clocksOfQuery(deps, query);
    const answer = await view(clocks);
    return { ...answer, position: String(await answeredPosition(deps.reader, clocks, live)) };
  };

  app.get(
    '/organisations',
    {
      config,
      schema: {
        tags: ['organisations'],
        summary: 'Actions led and partnered, overdue, late, slippage and stale actions per organisation, a page at a time in name order',
        description:
          'At most `limit` organisations (default 100); `next` is the name to pass as `after` for the next page, null on the last.',
        querystring: OrganisationsQuery,
        response: { 200: OrganisationsJson, ...readResponses },
      },
    },
    async (req) => withPosition(req.query, (clocks) => organisationsPage(deps, clocks, req.query)),
  );

  app.get(
    '/organisations/:org',
    {
      config,
      schema: {
        tags: ['organisations'],
        summary: "One organisation's accountability, with each action and recommendation behind the figures, a page of plans at a time",
        description:
          'The figures count every plan; `actions` and `awaitingAssurance` hold those of whole plans, in plan-id order, after ' +
          'the plan `after` names, until at least `limit` of them in all (default 100); `next` is the plan to pass as `after` ' +
          'for the next page, null on the last.',
        params: OrganisationParams,
        querystring: OrganisationQuery,
        response: { 200: OrganisationJson, ...readResponses },
      },
    },
    async (req) => withPosition(req.query, (clocks) => organisationView(deps, clocks, req.params.org, req.query)),
  );

  app.get(
    '/reports/deadlines',
    {
      config,
      schema: {
        tags: ['reports'],
        summary: 'Actions due in a window: met, missed, revised (with reasons and who agreed), still open, a page at a time in plan order',
        description:
          'Without `from` and `to` the window is the calendar quarter holding "today" at the clocks asked for (London); ' +
          '`period` in the answer says which was used. `totals` count every plan; `actions` holds the actions of whole plans, ' +
          'in plan-id order, after the plan `after` names, until at least `limit` (default 100); `next` is the plan to pass as ' +
          '`after` for the next page, null on the last.',
        querystring: DeadlineQuery,
        response: { 200: DeadlineReportJson, ...readResponses },
      },
    },
    async (req) => withPosition(req.query, (clocks) => deadlinesView(deps, clocks, req.query, req.query)),
  );

  app.get(
    '/reports/discrepancies',
    {
      config,
      schema: {
        tags: ['reports'],
        summary:
          'Reported green but overdue, completed without evidence, recorded long after the fact, deadlines revised more than twice, ' +
          'deadlines moved or actions closed after the deadline had passed',
        description:
          "`totals` counts every plan's findings in each list; the lists hold the findings of whole plans, in plan-id order, " +
          'after the plan `after` names, until at least `limit` findings in all (default 100); `next` is the plan to pass as ' +
          '`after` for the next page, null on the last.',
        querystring: DiscrepancyQuery,
        response: { 200: DiscrepanciesJson, ...readResponses },
      },
    },
    async (req) => withPosition(req.query, (clocks) => discrepanciesView(deps, clocks, req.query)),
  );
};
