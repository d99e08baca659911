import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { planDetail } from '../../../../projections/plan-status/plan-view.ts';
import { actionTimeline, evolveTimeline, initialTimeline, orderTimeline, timelinePage } from '../../../../projections/timeline/timeline.ts';
import { PlanId } from '../../../http/schemas.ts';
import { Ref } from '../../../../events/plan/common.ts';
import { actionTimelinePicture } from '../../action-timeline-svg.ts';
import { stackedBars, statusOverTime } from '../../status-over-time.ts';
import { computedStatuses } from '../../format.ts';
import { renderPage } from '../render.ts';
import type { WebRouteDeps } from '../web-deps.ts';
import { notFoundPage } from './not-found.ts';

/** A history page shows this many entries; the rest are a link away, so a long history never renders at once. */
export const HISTORY_PAGE_SIZE = 50;

const PlanParams = z.object({ planId: PlanId });
const ActionParams = z.object({ planId: PlanId, ref: Ref });
const HistoryQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  order: z.enum(['recorded', 'effective']).default('recorded'),
});

/** A plan, one action's history, and the plan's actions by computed status over time: the same read models as the API. */
export const planPages = (deps: WebRouteDeps) => async (app: FastifyInstance) => {
  const { reader, directory } = deps.read;
  const page = { access: 'projection' as const, page: true, auditRead: true };

  app.get('/plans/:planId', { config: page, schema: { hide: true } }, async (request, reply) => {
    const params = PlanParams.safeParse(request.params);
    const travel = request.timeTravel!;
    const doc = params.success ? await reader.planDoc(params.data.planId, travel.asOf) : undefined;
    if (!doc)
      return notFoundPage(
        request,
        reply,
        'No such plan',
        travel.past ? `No plan with this name had been registered by ${travel.label}.` : 'No plan has this name.',
      );
    const today = reader.today(travel.asOf);
    const plan = planDetail(doc, today);
    const revisions = new Map(doc.actions.map((a) => [a.ref, a.revisions]));
    const actions = new Map(plan.actions.map((a) => [a.ref, { ...a, revisionHistory: revisions.get(a.ref) ?? [] }]));
    const unsectioned = plan.actions.filter((a) => a.sectionRef === null || !plan.sections.some((s) => s.sectionRef === a.sectionRef));
    return renderPage(request, reply, 'plan.njk', {
      pageTitle: plan.title,
      plan,
      sections: [
        ...plan.sections.map((s) => ({ ...s, actions: s.actionRefs.map((ref) => actions.get(ref)!) })),
        ...(unsectioned.length
          ? [{ sectionRef: null, title: 'Actions in no section', actions: unsectioned.map((a) => actions.get(a.ref)!) }]
          : []),
      ],
      today,
      timeTravelForm: true,
    });
  });

  app.get('/plans/:planId/actions/:ref', { config: page, schema: { hide: true } }, async (request, reply) => {
    const params = ActionParams.safeParse(request.params);
    const query = HistoryQuery.safeParse(request.query);
    const travel = request.timeTravel!;
    if (!params.success) return notFoundPage(request, reply, 'No such action', 'No action has this reference.');
    const { planId, ref } = params.data;
    const doc = await reader.planDoc(planId, travel.asOf);
    const action = doc?.actions.find((a) => a.ref === ref);
    if (!doc || !action)
      return notFoundPage(
        request,
        reply,
        'No such action',
        `Plan ${planId} has no action ${ref}${travel.past ? ` as of ${travel.label}` : ''}.`,
      );
    const today = reader.today(travel.asOf);
    const plan = planDetail(doc, today);
    const view = plan.actions.find((a) => a.ref === ref)!;
    const state = initialTimeline();
    for await (const fact of reader.planFacts(planId, travel.asOf)) evolveTimeline(state, fact, directory.canonical);
    const entries = actionTimeline(state.entries, ref);
    const order = query.success ? query.data.order : 'recorded';
    const ordered = orderTimeline(entries, order);
    // A cursor that names no entry (a stale bookmark) shows the first page rather than an error.
    const history =
      timelinePage(ordered, query.success ? query.data.after : undefined, HISTORY_PAGE_SIZE) ??
      timelinePage(ordered, undefined, HISTORY_PAGE_SIZE)!;
    const byEvent = new Map(state.entries.map((e) => [e.eventId, e]));
    return renderPage(request, reply, 'action.njk', {
      pageTitle: `Action ${ref}: ${plan.title}`,
      plan: { planId, title: plan.title, ragLegend: plan.ragLegend },
      action: { ...view, revisionHistory: action.revisions },
      picture: actionTimelinePicture(view, entries, today),
      history: history.entries.map((e) => ({ ...e, corrects: e.correctedEventId ? byEvent.get(e.correctedEventId) : undefined })),
      total: entries.length,
      first: history.entries.length ? ordered.indexOf(history.entries[0]!) + 1 : 0,
      next: history.next,
      order,
      canWrite:
        !travel.past &&
        request.authentication?.kind === 'principal' &&
        ['contributor', 'plan-manager'].includes(request.authentication.principal.role),
      isPlanManager: request.authentication?.kind === 'principal' && request.authentication.principal.role === 'plan-manager',
      recorded:
        typeof (request.query as { recorded?: unknown }).recorded === 'string'
          ? (request.query as { recorded: string }).recorded
          : undefined,
      keepQuery: order === 'effective' ? { order } : {},
      timeTravelForm: true,
    });
  });

  app.get('/plans/:planId/progress', { config: page, schema: { hide: true } }, async (request, reply) => {
    const params = PlanParams.safeParse(request.params);
    const travel = request.timeTravel!;
    if (!params.success) return notFoundPage(request, reply, 'No such plan', 'No plan has this name.');
    const chart = await statusOverTime(reader.planFacts(params.data.planId, travel.asOf), travel.asOf ?? deps.clock().toISOString());
    if (!chart) return notFoundPage(request, reply, 'No such plan', 'No plan has this name.');
    return renderPage(request, reply, 'progress.njk', {
      pageTitle: `Progress over time: ${chart.title}`,
      planId: params.data.planId,
      chart,
      bars: stackedBars(chart.columns, computedStatuses, chart.maxTotal),
      statuses: computedStatuses,
      timeTravelForm: true,
    });
  });
};
