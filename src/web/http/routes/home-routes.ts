import type { FastifyInstance } from 'fastify';
import { toLedgerFact } from '../../../../projections/ledger-fact.ts';
import { summaryOf } from '../../../../projections/timeline/describe.ts';
import { computedStatuses } from '../../../presentation/format.ts';
import type { TimelineStates } from '../../../../projections/timeline/timeline-states.ts';
import { planSummaries } from '../../../../projections/views/plan-views.ts';
import { findingsPageQuery, noSuchPage } from '../findings-paging.ts';
import { renderPage, shownAtPresent } from '../render.ts';
import type { WebRouteDeps } from '../web-deps.ts';

/** Remembers, per browser, how far into the ledger its person had read when they last opened the home page. */
const SEEN_COOKIE = 'al_seen';
const SHOWN_CHANGES = 10;
const COUNTED_CHANGES = 500;

/** The plans, their actions by computed status, what is overdue, and what was recorded since the last visit. */
export const homeRoutes = (deps: WebRouteDeps, timelines: TimelineStates) => async (app: FastifyInstance) => {
  const { reader, directory } = deps.read;

  /** What the ledger recorded after a position: how many entries (counted up to a limit), in which plans, the latest few. */
  const changesSince = async (seen: bigint) => {
    const entries = [];
    for await (const event of deps.store.readAll({ fromPosition: seen + 1n, limit: COUNTED_CHANGES + 1 })) {
      const fact = toLedgerFact(event);
      if (fact)
        entries.push({
          planId: fact.planId,
          eventId: fact.eventId,
          correction: fact.type === 'EntryCorrected',
          summary: summaryOf(fact),
          recordedAt: fact.recordedAt,
          who: fact.actor.name,
          organisation: fact.actor.organisation,
        });
    }
    const plans = [...new Set(entries.map((e) => e.planId))];
    const latest = entries.slice(-SHOWN_CHANGES).reverse();
    // A correction says what it changed, before and after, and of which action, as the plan's timeline tells it.
    for (const entry of latest)
      if (entry.correction) entry.summary = (await timelines(entry.planId)).byEvent.get(entry.eventId)?.entry.summary ?? entry.summary;
    return { count: Math.min(entries.length, COUNTED_CHANGES), more: entries.length > COUNTED_CHANGES, plans, latest };
  };

  app.get('/', { config: { access: 'projection', page: true }, schema: { hide: true } }, async (request, reply) => {
    const travel = request.timeTravel!;
    const pages = findingsPageQuery('/web', request.query as { after?: unknown; limit?: unknown });
    if (!pages) return renderPage(request, reply, 'refused.njk', noSuchPage('plans'), 400);
    const today = reader.today(travel.clocks);
    // The figures count every plan, read as the other views over every plan are (on the read workers too, at a clock);
    // the cards are a page of them, read as the API's GET /plans pages them. Every plan's card on one page ran to
    // megabytes of HTML on a ledger of a few thousand plans, and each card reads its plan's last event for its stamp.
    const [totals, { plans, next }] = await Promise.all([
      reader.everyPlan('planTotals', travel.clocks, { today }, directory),
      planSummaries(reader, travel.clocks, today, pages),
    ]);
    let sinceLastVisit;
    // What was recorded since the last visit is the first page's, as is moving the mark on: a person reading on to the
    // next page has not yet seen what the first one said.
    if (travel.live && pages.after === undefined) {
      const seenText = request.cookies[SEEN_COOKIE];
      const head = await deps.store.headPosition();
      if (seenText && /^\d{1,15}$/.test(seenText) && head !== undefined && BigInt(seenText) < head)
        sinceLastVisit = await changesSince(BigInt(seenText));
      else if (seenText) sinceLastVisit = { count: 0, more: false, plans: [], latest: [] };
      // Only a visit to the present as asked moves the mark on: a page answering 400 for a date it could not read shows
      // the present too, list included, but under an error about that date, and the list is kept for the next visit.
      if (head !== undefined && shownAtPresent(request))
        reply.setCookie(SEEN_COOKIE, String(head), {
          path: '/web',
          httpOnly: true,
          sameSite: 'strict',
          secure: 'auto',
          maxAge: 400 * 24 * 3600,
        });
    }
    // The plans written to since the last visit, by their titles now (a plan retracted since by its id).
    const titles = new Map(plans.map((p) => [p.planId, p.title]));
    for (const planId of sinceLastVisit?.plans ?? [])
      if (!titles.has(planId)) titles.set(planId, (await reader.planLinesAt(planId))?.title ?? planId);
    return renderPage(request, reply, 'home.njk', {
      pageTitle: 'Plans',
      today,
      plans,
      statuses: computedStatuses,
      totals,
      keepQuery: pages.keepQuery,
      pages,
      nextHref: pages.nextHref(next),
      nextAfter: next,
      sinceLastVisit: sinceLastVisit && {
        ...sinceLastVisit,
        plans: sinceLastVisit.plans.map((id) => ({ planId: id, title: titles.get(id) ?? id })),
      },
      timeTravelForm: true,
    });
  });
};
