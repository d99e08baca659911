import type { FastifyInstance } from 'fastify';
import { planSummary } from '../../../../projections/plan-status/plan-view.ts';
import { toLedgerFact } from '../../../../projections/ledger-fact.ts';
import { summaryOf } from '../../../../projections/timeline/describe.ts';
import { computedStatuses } from '../../../presentation/format.ts';
import type { TimelineCache } from '../../timeline-cache.ts';
import { renderPage, shownAtPresent } from '../render.ts';
import type { WebRouteDeps } from '../web-deps.ts';

/** Remembers, per browser, how far into the ledger its person had read when they last opened the home page. */
const SEEN_COOKIE = 'al_seen';
const SHOWN_CHANGES = 10;
const COUNTED_CHANGES = 500;

/** The plans, their actions by computed status, what is overdue, and what was recorded since the last visit. */
export const homeRoutes = (deps: WebRouteDeps, timelines: TimelineCache) => async (app: FastifyInstance) => {
  const { reader } = deps.read;

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
    const today = reader.today(travel.clocks);
    const plans = (await reader.planPage(travel.clocks, {})).map(({ lines, stamp }) => planSummary(lines, stamp, today));
    let sinceLastVisit;
    if (travel.live) {
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
    const titles = new Map(plans.map((p) => [p.planId, p.title]));
    return renderPage(request, reply, 'home.njk', {
      pageTitle: 'Plans',
      today,
      plans,
      statuses: computedStatuses,
      totals: {
        actions: plans.reduce((n, p) => n + p.actions, 0),
        overdue: plans.reduce((n, p) => n + p.overdue, 0),
      },
      sinceLastVisit: sinceLastVisit && {
        ...sinceLastVisit,
        plans: sinceLastVisit.plans.map((id) => ({ planId: id, title: titles.get(id) ?? id })),
      },
      timeTravelForm: true,
    });
  });
};
