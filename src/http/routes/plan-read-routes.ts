import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryInteger } from '../../api/http/query-integer.ts';
import { BusinessDate } from '../../../events/business-date.ts';
import { isLive } from '../../../projections/clocks/clocks.ts';
import { changesView, MAX_PAGE_SIZE, planView, plansPage, timelineView } from '../../../projections/views/plan-views.ts';
import { liveViewEtagOf } from '../../api/http/command-routes.ts';
import { HttpProblem } from '../../api/http/problem.ts';
import { LedgerTime } from '../../../projections/clocks/ledger-time.ts';
import { planRetracted } from '../plan-retracted.ts';
import { clocksOfQuery, ledgerTimeOfRead, readQuery, ReadQuery, registerReadYourWrites, type ReadModelDeps } from '../read-query.ts';
import { ChangesJson, PlanDetailJson, PlansPage, readResponses, TimelineJson } from '../read-shapes.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import { PlanParams, RefParams } from '../../api/http/plan-params.ts';

const TimelineQuery = z
  .object({
    ...readQuery,
    order: z.enum(['recorded', 'effective']).default('recorded').describe('recorded: as the ledger learned it; effective: as it happened'),
    limit: queryInteger(1, 5000)
      .optional()
      .describe('At most this many entries (default: all); `next` then names where the next page starts'),
    // Any digits, however many: a position no entry holds is unknown-cursor (plan-views.ts), as a shorter one is.
    after: z
      .string()
      .regex(/^\d+$/, 'must be the `next` of a previous page')
      .optional()
      .describe('Continue after this entry: the `next` of the previous page'),
  })
  .strict();

export const PageQuery = {
  limit: queryInteger(1, MAX_PAGE_SIZE)
    .optional()
    .describe('At most this many (default 100, at most 1000); `next` names where the next page starts'),
  after: z.string().min(1).max(300).optional().describe('Continue after this one: the `next` of the previous page'),
};
const PlansQuery = z.object({ ...readQuery, ...PageQuery }).strict();

const ChangesQuery = z
  .object({
    minPosition: readQuery.minPosition,
    clock: z
      .enum(['recorded', 'effective'])
      .default('recorded')
      .describe('recorded: from and to are ledger times (what the ledger said then); effective: business dates (what was true then)'),
    from: z
      .string()
      .describe(
        'Start (exclusive): an instant or a day on the ledger clock (one still to come: the ledger time now, as the answer ' +
          'names it); a day or a month on the business clock',
      ),
    to: z.string().describe('End (inclusive), on the same clock as from (on the ledger clock, one still to come: the ledger time now)'),
    asOf: readQuery.asOf.describe(
      'On the business clock: both views as the ledger stood at this instant (default, or one still to come: the ledger time now)',
    ),
    effectiveOn: readQuery.effectiveOn.describe('On the ledger clock: both views at this business date'),
  })
  .strict()
  .transform((query, ctx) => {
    const parse = (field: 'from' | 'to') => {
      const parsed = (query.clock === 'recorded' ? LedgerTime : BusinessDate).safeParse(query[field]);
      if (!parsed.success)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message:
            query.clock === 'recorded'
              ? 'on the ledger clock, must be an ISO 8601 instant or a day as YYYY-MM-DD'
              : 'on the business clock, must be a day (YYYY-MM-DD) or a month (YYYY-MM)',
        });
      return parsed.data ?? '';
    };
    const misplaced = query.clock === 'recorded' ? (query.asOf === undefined ? undefined : 'asOf') : query.effectiveOn && 'effectiveOn';
    if (misplaced)
      ctx.addIssue({
        code: 'custom',
        path: [misplaced],
        message: `${misplaced} does not go with clock=${query.clock}: from and to already set that clock`,
      });
    return { ...query, from: parse('from'), to: parse('to') };
  });

/** Current status and timelines of one plan, and the plan list, at any pair of clocks. */
export const planReadRoutes = (deps: ReadModelDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  registerReadYourWrites(root, deps);
  const { reader } = deps;
  const tags = ['plans'];
  const config: RouteAccessConfig = { access: 'projection' };
  const audited: RouteAccessConfig = { access: 'projection', auditRead: true };

  app.get(
    '/plans',
    {
      config,
      schema: {
        tags,
        summary: 'Plans in id order, a page at a time, with their actions counted by status and the number overdue',
        description: 'At most `limit` plans (default 100); `next` is the plan id to pass as `after` for the next page, null on the last.',
        querystring: PlansQuery,
        response: { 200: PlansPage, ...readResponses },
      },
    },
    async (req) => plansPage(deps, await clocksOfQuery(deps, req.query), req.query, deps.runner.position()),
  );

  app.get(
    '/plans/:planId',
    {
      config: audited,
      schema: {
        tags,
        summary: "A plan's sections, recommendations with assurance, and actions with deadlines and computed status",
        description:
          'Read now (neither asOf nor effectiveOn), its strong ETag is the revision and the day its statuses are worked out ' +
          'for ("3@2026-11-23"), which `If-Match` takes on a write; read at a clock, it carries none (docs/requests.md).',
        params: PlanParams,
        querystring: ReadQuery,
        response: { 200: PlanDetailJson, ...readResponses },
      },
    },
    async (req, reply) => {
      const clocks = await clocksOfQuery(deps, req.query);
      if (isLive(clocks)) {
        // The live view is rendered once per change of the plan (or of the day) and sent as stored JSON.
        const today = reader.today();
        const view = reader.liveView(req.params.planId, today);
        if (!view)
          throw new HttpProblem({ status: 404, code: 'plan-not-found', title: 'Not found', detail: `No plan ${req.params.planId}` });
        if (view.retraction) throw planRetracted(req.params.planId, view.retraction);
        // Its ETag changes with its body: with the revision, and with the day its statuses are worked out for.
        return reply
          .header('etag', liveViewEtagOf(view.revision, today))
          .type('application/json; charset=utf-8')
          .send(view.body as never); // already JSON: fastify sends a string as is
      }
      // At a clock, no ETag: the body is the plan as it stood, or as it was true, then, not the plan a write's If-Match
      // is checked against (the plan now); its revision, in the body, is the last event counted at those clocks.
      const { body, retraction } = await planView(deps, clocks, req.params.planId);
      if (retraction) throw planRetracted(req.params.planId, retraction);
      return body;
    },
  );

  app.get(
    '/plans/:planId/timeline',
    {
      config: audited,
      schema: {
        tags,
        summary: 'Every event of the plan as a readable entry: who, when recorded, when effective, what changed',
        params: PlanParams,
        querystring: TimelineQuery,
        response: { 200: TimelineJson, ...readResponses },
      },
    },
    async (req) => timelineView(deps, await clocksOfQuery(deps, req.query), req.params.planId, null, req.query),
  );

  app.get(
    '/plans/:planId/actions/:ref/timeline',
    {
      config: audited,
      schema: {
        tags,
        summary: "One action's history: agreement, revisions, reassignments, updates, evidence, closure, corrections",
        params: RefParams,
        querystring: TimelineQuery,
        response: { 200: TimelineJson, ...readResponses },
      },
    },
    async (req) => timelineView(deps, await clocksOfQuery(deps, req.query), req.params.planId, req.params.ref, req.query),
  );

  app.get(
    '/plans/:planId/changes',
    {
      config: audited,
      schema: {
        tags,
        summary: 'What changed in the plan between two points on either clock',
        params: PlanParams,
        querystring: ChangesQuery,
        response: { 200: ChangesJson, ...readResponses },
      },
    },
    async (req) => {
      const { clock, from, to, asOf, effectiveOn } = req.query;
      // On the ledger clock `from` and `to` are ledger times: one still to come is read, and named, as the ledger time now.
      // A window the wrong way round is passed as asked, for changesView to refuse naming those dates: read as the
      // ledger time now, two ends still to come would be equal and pass as an empty window.
      const query =
        clock === 'recorded'
          ? from > to
            ? { clock, from, to, effectiveOn }
            : { clock, from: (await ledgerTimeOfRead(deps, from))!, to: (await ledgerTimeOfRead(deps, to))!, effectiveOn }
          : { clock, from, to, asOf: await ledgerTimeOfRead(deps, asOf) };
      const { retraction, body } = await changesView(deps, req.params.planId, query);
      if (retraction) throw planRetracted(req.params.planId, retraction);
      return body;
    },
  );
};
