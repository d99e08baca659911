import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PlanDoc } from '../../../projections/plan-status/document.ts';
import { planChanges } from '../../../projections/plan-status/changes.ts';
import { planDetail, planSummary } from '../../../projections/plan-status/plan-view.ts';
import {
  actionTimeline,
  evolveTimeline,
  initialTimeline,
  orderTimeline,
  timelinePage,
  type TimelineEntry,
  type TimelineOrder,
} from '../../../projections/timeline/timeline.ts';
import { badRequest, HttpProblem } from '../../api/http/problem.ts';
import { Instant, readQuery, ReadQuery, registerReadYourWrites, type ReadModelDeps } from '../read-query.ts';
import { ChangesJson, PlanDetailJson, PlansPage, readResponses, TimelineJson } from '../read-shapes.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import { PlanParams, RefParams } from '../../api/http/plan-params.ts';

const planNotFound = (planId: string, asOf?: string) =>
  new HttpProblem({
    status: 404,
    code: 'plan-not-found',
    title: 'Not found',
    detail: asOf ? `No plan ${planId} was registered as of ${asOf}` : `No plan ${planId}`,
  });

/** A retracted plan is in no current view: 410 says when, by whom and why, and where its history still is. */
const planRetracted = (planId: string, retraction: NonNullable<PlanDoc['retraction']>) =>
  new HttpProblem({
    status: 410,
    code: 'plan-retracted',
    title: 'Retracted',
    detail:
      `Plan ${planId} was retracted on ${retraction.recordedAt.slice(0, 10)} by ${retraction.by}: ${retraction.reason}. ` +
      `Its history is in /plans/${planId}/timeline, and ?asOf= an instant before the retraction shows it as ` +
      `it was`,
    retraction: { recordedAt: retraction.recordedAt, by: retraction.by, reason: retraction.reason, eventId: retraction.eventId },
  });

const TimelineQuery = z
  .object({
    ...readQuery,
    order: z.enum(['recorded', 'effective']).default('recorded').describe('recorded: as the ledger learned it; effective: as it happened'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(5000)
      .optional()
      .describe('At most this many entries (default: all); `next` then names where the next page starts'),
    after: z
      .string()
      .regex(/^\d{1,15}$/, 'must be the `next` of a previous page')
      .optional()
      .describe('Continue after this entry: the `next` of the previous page'),
  })
  .strict();

/** The requested page of an ordered timeline, or 400 when the cursor names no entry of it. */
const pageOf = (entries: TimelineEntry[], query: { order: TimelineOrder; after?: string | undefined; limit?: number | undefined }) => {
  const page = timelinePage(orderTimeline(entries, query.order), query.after, query.limit);
  if (!page)
    throw badRequest('unknown-cursor', `after=${query.after} names no entry of this timeline; pass the next of a previous page`, [
      { location: 'querystring.after', message: 'names no entry of this timeline' },
    ]);
  return page;
};
const ChangesQuery = z
  .object({
    minPosition: readQuery.minPosition,
    from: Instant.describe('Start instant (exclusive)'),
    to: Instant.describe('End instant (inclusive)'),
  })
  .strict();

/** Current status and timelines of one plan, live or as of an instant. */
export const planReadRoutes = (deps: ReadModelDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  registerReadYourWrites(root, deps);
  const { reader, directory } = deps;
  const tags = ['plans'];
  const config: RouteAccessConfig = { access: 'projection' };
  const audited: RouteAccessConfig = { access: 'projection', auditRead: true };
  const canonical = (name: string) => directory.canonical(name);

  const timelineOf = async (planId: string, asOf?: string) => {
    const state = initialTimeline();
    for await (const fact of reader.planFacts(planId, asOf)) evolveTimeline(state, fact, canonical);
    if (state.entries.length === 0) throw planNotFound(planId, asOf);
    return state.entries;
  };

  app.get(
    '/plans',
    {
      config,
      schema: {
        tags,
        summary: 'Every plan with its actions counted by status and the number overdue',
        querystring: ReadQuery,
        response: { 200: PlansPage, ...readResponses },
      },
    },
    async (req) => {
      const { asOf } = req.query;
      const today = reader.today(asOf);
      const docs = await reader.planDocs(asOf);
      // The ledger position the answer includes: the read models' for a live answer, the one asOf resolves to otherwise.
      const position = asOf === undefined ? BigInt(deps.runner.position()) : ((await reader.positionAt(asOf)) ?? -1n);
      return {
        asOf: asOf ?? null,
        today,
        position: String(position),
        plans: docs.map((d) => planSummary(d, today)),
      };
    },
  );

  app.get(
    '/plans/:planId',
    {
      config: audited,
      schema: {
        tags,
        summary: "A plan's sections, recommendations with assurance, and actions with deadlines and computed status",
        params: PlanParams,
        querystring: ReadQuery,
        response: { 200: PlanDetailJson, ...readResponses },
      },
    },
    async (req, reply) => {
      if (req.query.asOf === undefined) {
        // The live view is rendered once per change of the plan (or of the day) and sent as stored JSON.
        const view = reader.liveView(req.params.planId, reader.today());
        if (!view) throw planNotFound(req.params.planId);
        if (view.retraction) throw planRetracted(req.params.planId, view.retraction);
        return reply
          .header('etag', `"${view.revision}"`)
          .type('application/json; charset=utf-8')
          .send(view.body as never); // already JSON: fastify sends a string as is
      }
      const doc = await reader.planDoc(req.params.planId, req.query.asOf);
      if (!doc) throw planNotFound(req.params.planId, req.query.asOf);
      if (doc.retraction) throw planRetracted(req.params.planId, doc.retraction);
      reply.header('etag', `"${doc.revision}"`);
      return { ...planDetail(doc, reader.today(req.query.asOf)), asOf: req.query.asOf ?? null };
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
    async (req) => {
      const entries = await timelineOf(req.params.planId, req.query.asOf);
      return { planId: req.params.planId, ref: null, order: req.query.order, asOf: req.query.asOf ?? null, ...pageOf(entries, req.query) };
    },
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
    async (req) => {
      const { planId, ref } = req.params;
      const entries = actionTimeline(await timelineOf(planId, req.query.asOf), ref);
      if (!entries.some((e) => e.type === 'ActionAgreed'))
        throw new HttpProblem({
          status: 404,
          code: 'action-not-found',
          title: 'Not found',
          detail: `Plan ${planId} has no action ${ref}${req.query.asOf ? ` as of ${req.query.asOf}` : ''}`,
        });
      return { planId, ref, order: req.query.order, asOf: req.query.asOf ?? null, ...pageOf(entries, req.query) };
    },
  );

  app.get(
    '/plans/:planId/changes',
    {
      config: audited,
      schema: {
        tags,
        summary: 'What changed in the plan between two instants',
        params: PlanParams,
        querystring: ChangesQuery,
        response: { 200: ChangesJson, ...readResponses },
      },
    },
    async (req) => {
      const { from, to } = req.query;
      if (from > to)
        throw badRequest('invalid-window', `from (${from}) is after to (${to})`, [
          { location: 'querystring.from', message: 'must not be after to' },
        ]);
      const { planId } = req.params;
      const [before, after] = await Promise.all([reader.planDoc(planId, from), reader.planDoc(planId, to)]);
      if (!after) throw planNotFound(planId, to);
      // Entries after the position `from` resolves to: exactly those the two views differ by.
      const fromPosition = (await reader.positionAt(from)) ?? -1n;
      const entries = (await timelineOf(planId, to)).filter((e) => BigInt(e.position) > fromPosition);
      return {
        planId,
        from,
        to,
        ...planChanges(before && planDetail(before, reader.today(from)), planDetail(after, reader.today(to)), entries),
      };
    },
  );
};
