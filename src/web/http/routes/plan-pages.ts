import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createLiveCache, planPageModel, type PlanPageModel } from '../../plan-page-model.ts';
import type { PlanDoc } from '../../../../projections/plan-status/document.ts';
import { actionView } from '../../../../projections/plan-status/action-view.ts';
import { actionLine } from '../../../../projections/plan-status/plan-lines.ts';
import { actionTimeline, type TimelineEntry } from '../../../../projections/timeline/timeline.ts';
import type { TimelineStates } from '../../../../projections/timeline/timeline-states.ts';
import { historyAsked, historyRows } from '../../history-rows.ts';
import { PlanId } from '../../../api/http/plan-params.ts';
import { Ref } from '../../../../events/plan/common.ts';
import { actionTimelinePicture } from '../../action-timeline-svg.ts';
import { stackedBars, statusOverBusinessTime, statusOverTime } from '../../status-over-time.ts';
import { computedStatuses } from '../../../presentation/format.ts';
import { isLive, type Clocks } from '../../../../projections/clocks/clocks.ts';
import { renderPage, shownAtPresent } from '../render.ts';
import type { WebRouteDeps } from '../web-deps.ts';
import { noPlanAt, notFoundPage } from './not-found.ts';
import { isRetracted, retractedPage } from './retracted-page.ts';
import { managesPlan, notOursOn } from '../../records-on.ts';
import { deadlineLateness } from '../../deadline-lateness.ts';
import { actionForms } from '../../forms/action-forms.ts';
import type { TimeTravel } from '../../time-travel.ts';
import { ledgerNow } from '../../../store/ledger-now.ts';
import { planStream } from '../../../../events/streams.ts';

const PlanParams = z.object({ planId: PlanId });

/** What a form that sends the person back to the action's page recorded: an action form's slug, or a correction. */
const RECORDED = new Set([...actionForms.map((f) => f.slug), 'correction']);
const recordedBanner = (value: unknown): string | undefined => (typeof value === 'string' && RECORDED.has(value) ? value : undefined);
const ActionParams = z.object({ planId: PlanId, ref: Ref });

/** A plan, one action's history, and the plan's actions by computed status over time: the same read models as the API. */
export const planPages = (deps: WebRouteDeps, timelines: TimelineStates) => async (app: FastifyInstance) => {
  const { reader, directory } = deps.read;
  const page = { access: 'projection' as const, page: true, auditRead: true };
  const models = createLiveCache<{ doc: PlanDoc; model: PlanPageModel }>();
  const docs = createLiveCache<PlanDoc>();
  /**
   * The plan's history as the ledger held it at the page's ledger time, at every business date: where each entry's
   * "as the ledger stood then" link finds it. At an `effectiveOn` the page's own history leaves out what that link's
   * page holds (entries recorded before it but dated after the business date).
   */
  const asRecorded = async (planId: string, travel: TimeTravel, state: { entries: TimelineEntry[] }) =>
    travel.clocks.effectiveOn === undefined ? state.entries : (await timelines(planId, { asOf: travel.clocks.asOf })).entries;
  /** The plan's document: live ones parsed once per revision, those at either clock folded. */
  const planDoc = (planId: string, today: string, clocks: Clocks) => {
    const live = isLive(clocks) ? reader.liveView(planId, today) : undefined;
    return live ? docs(planId, live.revision, today, () => reader.planDoc(planId)) : reader.planDoc(planId, clocks);
  };

  /**
   * The plan's document at the state of the ledger a page's figures are read at (`asOf`: the ledger's time now on a live
   * page), as `planDoc` reads it: the live one, unless the read models have yet to apply entries of the plan recorded by
   * then (its registration, its retraction), when it is folded at `asOf` as the figures are. Else a live page would
   * draw a plan retracted at `asOf` (its figures there missing) or refuse one registered by then.
   */
  const planDocAt = async (planId: string, today: string, clocks: Clocks, asOf: string) => {
    const doc = await planDoc(planId, today, clocks);
    if (!isLive(clocks)) return doc;
    const upTo = await deps.store.positionAt(asOf);
    if (upTo === undefined) return doc;
    const fromRevision = BigInt((doc?.revision ?? -1) + 1);
    // One event is enough to know; leaving the loop closes the read (a KurrentDB read is a stream left open otherwise).
    for await (const _ of deps.store.readStream(planStream(planId), { fromRevision, toPosition: upTo, limit: 1 }))
      return reader.planDoc(planId, { asOf });
    return doc;
  };

  app.get('/plans/:planId', { config: page, schema: { hide: true } }, async (request, reply) => {
    const params = PlanParams.safeParse(request.params);
    const travel = request.timeTravel!;
    const today = reader.today(travel.clocks);
    const build = async () => {
      const doc = params.success ? await reader.planDoc(params.data.planId, travel.clocks) : undefined;
      return doc && { doc, model: planPageModel(doc, today) };
    };
    // The live view's revision (kept by the reader) says whether the cached model is current.
    const live = params.success && travel.live ? reader.liveView(params.data.planId, today) : undefined;
    const built = live && params.success ? await models(params.data.planId, live.revision, today, build) : await build();
    if (built && params.success && isRetracted(built.doc)) return retractedPage(request, reply, params.data.planId, built.doc);
    if (!built) return notFoundPage(request, reply, 'No such plan', noPlanAt(travel));
    const { model, doc } = built;
    const signedIn = request.authentication?.kind === 'principal' ? request.authentication.principal : undefined;
    return renderPage(request, reply, 'plan.njk', {
      pageTitle: model.plan.title,
      ...model,
      today,
      managesPlan: managesPlan(signedIn, doc, directory.canonical),
      timeTravelForm: true,
    });
  });

  app.get('/plans/:planId/actions/:ref', { config: page, schema: { hide: true } }, async (request, reply) => {
    const params = ActionParams.safeParse(request.params);
    const travel = request.timeTravel!;
    if (!params.success) return notFoundPage(request, reply, 'No such action', 'No action has this reference.');
    const { planId, ref } = params.data;
    const today = reader.today(travel.clocks);
    const doc = await planDoc(planId, today, travel.clocks);
    if (doc && isRetracted(doc)) return retractedPage(request, reply, planId, doc);
    // No plan then says so, as the plan's own page does, rather than that the plan lacked the action.
    if (!doc) return notFoundPage(request, reply, 'No such action', noPlanAt(travel));
    const action = doc.actions.find((a) => a.ref === ref);
    if (!action)
      return notFoundPage(
        request,
        reply,
        'No such action',
        `Plan ${planId} has no action ${ref}${travel.effectiveOn ? ` ${travel.effectiveLabel}` : ''}` +
          `${travel.past ? `${travel.effectiveOn ? ', as the ledger knew it at' : ' as of'} ${travel.label}` : ''}.`,
      );
    const line = actionLine(action, doc);
    const view = actionView(doc, action, today, line);
    const lateness = deadlineLateness(line);
    const signedIn = request.authentication?.kind === 'principal' ? request.authentication.principal : undefined;
    const writer = signedIn && ['contributor', 'plan-manager'].includes(signedIn.role) ? signedIn : undefined;
    const plan = { title: doc.plan.title, ragLegend: doc.plan.ragLegend };
    const state = await timelines(planId, travel.clocks);
    const entries = actionTimeline(state.entries, ref);
    const rows = historyRows(
      state,
      entries,
      historyAsked(request.query),
      directory.canonical,
      actionTimeline(await asRecorded(planId, travel, state), ref),
    );
    const historyPath = `/web/plans/${planId}/actions/${encodeURIComponent(ref)}`;
    return renderPage(request, reply, 'action.njk', {
      pageTitle: `Action ${ref}: ${plan.title}`,
      plan: { planId, title: plan.title, ragLegend: plan.ragLegend },
      // Each revision from the deadline in force before it: where an earlier deadline was corrected, that is what it was
      // revised from, whatever the revision recorded then.
      action: {
        ...view,
        revisionHistory: action.revisions.map((r, i, all) => ({
          ...r,
          from: i === 0 ? action.agreed.due : all[i - 1]!.to,
          ...lateness.revisions[i]!,
        })),
        closedAfterDeadline: lateness.closedAfterDeadline,
        lateClosure: lateness.lateClosure,
      },
      // Looking back only from a date before today: at today's business date, on the ledger as it stands now, the
      // chart's day is today, as on the live page, and its deadline the one in force now.
      picture: actionTimelinePicture(
        view,
        entries,
        today,
        new Map(action.revisions.map((r) => [r.eventId, r.to])),
        !(travel.live || travel.effectiveToday),
      ),
      ...rows,
      historyOf: `action ${ref}`,
      historyPath,
      canWrite: travel.live && writer !== undefined,
      notOurs: writer && notOursOn(writer, doc, action, directory.canonical),
      managesPlan: managesPlan(signedIn, doc, directory.canonical),
      canAttachFiles: deps.evidence !== undefined,
      // Only what a form records (its slug, as it redirects here) and only on the present-day page read as asked, where it
      // is shown: the address is anyone's to type or send, and must not make the page say something was recorded that was
      // not; nor may a page answering 400 for a date it could not read, which is about the date typed.
      recorded: shownAtPresent(request) ? recordedBanner((request.query as { recorded?: unknown }).recorded) : undefined,
      keepQuery: rows.order === 'effective' ? { order: rows.order } : {},
      timeTravelForm: true,
    });
  });

  app.get('/plans/:planId/history', { config: page, schema: { hide: true } }, async (request, reply) => {
    const params = PlanParams.safeParse(request.params);
    const travel = request.timeTravel!;
    if (!params.success) return notFoundPage(request, reply, 'No such plan', 'No plan has this name.');
    const { planId } = params.data;
    const doc = await planDoc(planId, reader.today(travel.clocks), travel.clocks);
    if (doc && isRetracted(doc)) return retractedPage(request, reply, planId, doc);
    if (!doc) return notFoundPage(request, reply, 'No such plan', noPlanAt(travel));
    const state = await timelines(planId, travel.clocks);
    const rows = historyRows(
      state,
      state.entries,
      historyAsked(request.query),
      directory.canonical,
      await asRecorded(planId, travel, state),
    );
    const signedIn = request.authentication?.kind === 'principal' ? request.authentication.principal : undefined;
    return renderPage(request, reply, 'plan-history.njk', {
      pageTitle: `History: ${doc.plan.title}`,
      plan: { planId, title: doc.plan.title },
      ...rows,
      historyOf: 'the plan',
      historyPath: `/web/plans/${planId}/history`,
      managesPlan: managesPlan(signedIn, doc, directory.canonical),
      keepQuery: rows.order === 'effective' ? { order: rows.order } : {},
      timeTravelForm: true,
    });
  });

  app.get('/plans/:planId/progress', { config: page, schema: { hide: true } }, async (request, reply) => {
    const params = PlanParams.safeParse(request.params);
    const travel = request.timeTravel!;
    if (!params.success) return notFoundPage(request, reply, 'No such plan', 'No plan has this name.');
    // Every column is read at one state of the ledger: the asOf, or the ledger's time now (a write landing
    // meanwhile is in no column). On the business clock the columns are business dates, each as the ledger knew it then.
    const asOf = travel.clocks.asOf ?? (await ledgerNow(deps.store, deps.clock()));
    const doc = await planDocAt(params.data.planId, reader.today(travel.clocks), travel.clocks, asOf);
    if (doc && isRetracted(doc)) return retractedPage(request, reply, params.data.planId, doc);
    const linesAt = (clocks: Clocks) => reader.planLinesAt(params.data.planId, clocks);
    const chart =
      travel.clocks.effectiveOn === undefined
        ? doc && (await statusOverTime(linesAt, doc.plan.recordedAt, asOf))
        : await statusOverBusinessTime(linesAt, asOf, reader.today(travel.clocks));
    if (!chart) return notFoundPage(request, reply, 'No such plan', noPlanAt(travel));
    return renderPage(request, reply, 'progress.njk', {
      pageTitle: `Progress over time: ${chart.title}`,
      planId: params.data.planId,
      chart,
      businessClock: travel.clocks.effectiveOn !== undefined,
      bars: stackedBars(chart.columns, computedStatuses, chart.maxTotal),
      statuses: computedStatuses,
      timeTravelForm: true,
    });
  });
};
