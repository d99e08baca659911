import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BusinessDate, firstDayOf, lastDayOf } from '../../../events/business-date.ts';
import { quarterOf } from '../../../projections/plan-status/dates.ts';
import { deadlineReport } from '../../../projections/plan-status/deadline-report.ts';
import { discrepancies } from '../../../projections/plan-status/discrepancies.ts';
import { organisationAccounts, organisationSummary } from '../../../projections/plan-status/organisations.ts';
import { badRequest, HttpProblem } from '../../api/http/problem.ts';
import { readQuery, ReadQuery, registerReadYourWrites, type ReadModelDeps } from '../read-query.ts';
import { DeadlineReportJson, DiscrepanciesJson, OrganisationJson, OrganisationsJson, readResponses } from '../read-shapes.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';

const OrganisationParams = z.object({ org: z.string().trim().min(1).max(300).describe('Any name or alias of the organisation') }).strict();
const DeadlineQuery = z
  .object({
    ...readQuery,
    from: BusinessDate.optional().describe(
      'First day (YYYY-MM-DD) or month (YYYY-MM) of the window; with `to`, or neither for the current quarter (London)',
    ),
    to: BusinessDate.optional().describe('Last day or month of the window; with `from`, or neither for the current quarter (London)'),
    organisation: z.string().trim().min(1).max(300).optional().describe('Only actions this organisation leads (any alias)'),
  })
  .strict()
  .superRefine((query, ctx) => {
    // Half a window is more likely a mistake than a wish for some default other half.
    const missing =
      query.from === undefined && query.to !== undefined ? 'from' : query.to === undefined && query.from !== undefined ? 'to' : undefined;
    if (missing !== undefined)
      ctx.addIssue({ code: 'custom', path: [missing], message: 'give both from and to, or neither for the current quarter' });
  });

const organisationNotFound = (name: string) =>
  new HttpProblem({
    status: 404,
    code: 'organisation-not-found',
    title: 'Not found',
    detail: `No plan names an organisation called ${name}`,
  });

/** Accountability per organisation and the board reports, live or as of an instant. */
export const reportRoutes = (deps: ReadModelDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  registerReadYourWrites(root, deps);
  const { reader, directory } = deps;
  const config: RouteAccessConfig = { access: 'projection' };

  const accounts = async (asOf?: string) => {
    const today = reader.today(asOf);
    return { today, accounts: organisationAccounts(await reader.planDocs(asOf), today, directory) };
  };

  app.get(
    '/organisations',
    {
      config,
      schema: {
        tags: ['organisations'],
        summary: 'Actions led and partnered, overdue, late, slippage and stale actions per organisation',
        querystring: ReadQuery,
        response: { 200: OrganisationsJson, ...readResponses },
      },
    },
    async (req) => {
      const { today, accounts: all } = await accounts(req.query.asOf);
      return { asOf: req.query.asOf ?? null, today, organisations: all.map(organisationSummary) };
    },
  );

  app.get(
    '/organisations/:org',
    {
      config,
      schema: {
        tags: ['organisations'],
        summary: "One organisation's accountability, with each action and recommendation behind the figures",
        params: OrganisationParams,
        querystring: ReadQuery,
        response: { 200: OrganisationJson, ...readResponses },
      },
    },
    async (req) => {
      const name = directory.canonical(req.params.org);
      const { today, accounts: all } = await accounts(req.query.asOf);
      const account = all.find((a) => a.organisation === name);
      if (!account) throw organisationNotFound(req.params.org);
      const aliases = directory.list().find((o) => o.name === name)?.aliases ?? [];
      return { asOf: req.query.asOf ?? null, today, aliases, ...account };
    },
  );

  app.get(
    '/reports/deadlines',
    {
      config,
      schema: {
        tags: ['reports'],
        summary: 'Actions due in a window: met, missed, revised (with reasons and who agreed), still open',
        description:
          'Without `from` and `to` the window is the current calendar quarter in London (as of `asOf` when given); ' +
          '`period` in the answer says which was used.',
        querystring: DeadlineQuery,
        response: { 200: DeadlineReportJson, ...readResponses },
      },
    },
    async (req) => {
      const today = reader.today(req.query.asOf);
      const requested = req.query.from !== undefined && req.query.to !== undefined;
      const { from, to } = requested ? { from: firstDayOf(req.query.from!), to: lastDayOf(req.query.to!) } : quarterOf(today);
      if (from > to)
        throw badRequest('invalid-window', `from (${req.query.from}) is after to (${req.query.to})`, [
          { location: 'querystring.from', message: 'must not be after to' },
        ]);
      const docs = await reader.planDocs(req.query.asOf);
      const report = deadlineReport(docs, { from, to, organisation: req.query.organisation }, today, directory);
      if (
        req.query.organisation !== undefined &&
        !organisationAccounts(docs, today, directory).some((a) => a.organisation === report.organisation)
      )
        throw organisationNotFound(req.query.organisation);
      return { asOf: req.query.asOf ?? null, period: requested ? 'requested' : 'current-quarter', ...report };
    },
  );

  app.get(
    '/reports/discrepancies',
    {
      config,
      schema: {
        tags: ['reports'],
        summary: 'Reported green but overdue, completed without evidence, recorded long after the fact, deadlines revised more than twice',
        querystring: ReadQuery,
        response: { 200: DiscrepanciesJson, ...readResponses },
      },
    },
    async (req) => {
      const today = reader.today(req.query.asOf);
      return { asOf: req.query.asOf ?? null, ...discrepancies(await reader.planDocs(req.query.asOf), today) };
    },
  );
};
