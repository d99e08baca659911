import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clocks } from '../../../../projections/clocks/clocks.ts';
import { changesView, checkChangesQuery, type ChangesQuery } from '../../../../projections/views/plan-views.ts';
import { PlanId } from '../../../api/http/plan-params.ts';
import { londonDay } from '../../../domain/calendar.ts';
import { DomainError } from '../../../domain/errors.ts';
import {
  addressWithClocksThatFit,
  changesRefusal,
  FORM_CLOCKS,
  changesWindow,
  endsNoLaterThan,
  misplacedClock,
  type ChangesQuery as AskedChanges,
  type ChangesWindow,
} from '../../changes-window.ts';
import { notAfterLedgerNow } from '../../../store/ledger-now.ts';
import { changesInWords } from '../../changes-words.ts';
import { historyAsked, historyRows } from '../../history-rows.ts';
import type { TimelineStates } from '../../../../projections/timeline/timeline-states.ts';
import type { TimelineOrder } from '../../../../projections/timeline/timeline.ts';
import { clockSpeltBy, type TimeTravel } from '../../time-travel.ts';
import { pageClocksOf } from '../page-clocks.ts';
import { renderPage, typedClocks } from '../render.ts';
import type { WebRouteDeps } from '../web-deps.ts';
import { noPlanAt, notFoundPage } from './not-found.ts';
import { retractedPage } from './retracted-page.ts';

const PlanParams = z.object({ planId: PlanId });
type Ends = NonNullable<ChangesWindow['ends']>;

/** The clocks of one side, as changesView reads it (of `to`: where the plan is shown as it ended up). */
const clocksAtEnd = (clock: ChangesWindow['clock'], end: Ends['to'], travel: TimeTravel): Clocks =>
  clock === 'recorded' ? { asOf: end.point, effectiveOn: travel.effectiveOn } : { asOf: travel.clocks.asOf, effectiveOn: end.point };

/**
 * Why there was nothing to compare, in noPlanAt's words: by the dates things happened, no plan of this name had been
 * registered by `to` (as the ledger knew it at the page's ledger time); as the ledger recorded it, none had been
 * recorded by `to`, or, read at a business date, registered by that date as the ledger knew it at `to`.
 */
const noPlanBy = (clock: ChangesWindow['clock'], to: Ends['to'], travel: TimeTravel): string => {
  if (clock === 'effective')
    return `No plan with this name had been registered ${to.by}${travel.past ? `, as the ledger knew it at ${travel.label}` : ''}.`;
  if (travel.effectiveOn) return `No plan with this name had been registered ${travel.effectiveBy}, as the ledger knew it ${to.words}.`;
  return `No plan with this name had been recorded ${to.by}.`;
};

/** What changesView is asked: the window's ends, and of the page's clocks only the one that goes with the way compared. */
const queryOf = (clock: ChangesWindow['clock'], { from, to }: Ends, travel: TimeTravel): ChangesQuery =>
  clock === 'recorded'
    ? { clock: 'recorded', from: from.point, to: to.point, effectiveOn: travel.effectiveOn }
    : { clock: 'effective', from: from.point, to: to.point, asOf: travel.clocks.asOf };

/** An address's query that reads a page (the plan, an action) at one end: that end's date on its clock, the page's other clock kept. */
const queryAt = (window: ChangesWindow, end: Ends['from'], travel: TimeTravel): string => {
  const query = new URLSearchParams();
  if (window.clock === 'recorded') {
    query.set('asOf', end.value);
    if (travel.effectiveOn) query.set('effectiveOn', travel.effectiveOn);
  } else {
    if (travel.past) query.set('asOf', travel.value);
    query.set('effectiveOn', end.value);
  }
  return query.toString();
};

/**
 * What changed in a plan between two dates, on either clock: the API's `GET /plans/:planId/changes`,
 * read through the same changesView, in words a board reads. The page's own other clock (its
 * time-travel form) is the API's other clock: the business date both ends are read at on the
 * ledger clock, the ledger time both are read at on the business clock.
 */
export const planChangesPage = (deps: WebRouteDeps, timelines: TimelineStates) => async (app: FastifyInstance) => {
  const { reader, directory } = deps.read;
  const page = { access: 'projection' as const, page: true, auditRead: true };

  app.get('/plans/:planId/changes', { config: page, schema: { hide: true } }, async (request, reply) => {
    const asked = request.query as AskedChanges & { asOf?: unknown; effectiveOn?: unknown } & Record<string, unknown>;
    const params = PlanParams.safeParse(request.params);
    let travel = request.timeTravel!;
    if (!params.success) return notFoundPage(request, reply, 'No such plan', 'No plan has this name.');
    const { planId } = params.data;
    const now = deps.clock();
    const windowAt = (at: TimeTravel) => changesWindow(asked, londonDay(now), londonDay(at.past ? at.asOf : now));
    let window = windowAt(travel);
    /** The ends as changesView reads them: on the ledger clock, `to` (the ledger time now when still to come), `from` no later. */
    const readableEnds = async (ends: Ends): Promise<Ends> =>
      window.clock === 'recorded' ? endsNoLaterThan(ends, await notAfterLedgerNow(deps.store, now, ends.to.point)) : ends;
    // Sent from the page's form, with both of the page's clocks, and two dates to compare: to the address of the clock
    // that goes with the way chosen, unless the comparison there would be refused. A form to put right is shown as it
    // is, still carrying both, so choosing the other way then keeps the other date. The query below reads only the
    // clock that goes with the way chosen, so what it refuses is what the address sent on to would refuse.
    /** The plan at one end of the window as changesView reads it, and the query that reads the plan there; none if a read refuses. */
    const planAtEnd = async (end: Ends['to']) => {
      const found = await reader.planDoc(planId, clocksAtEnd(window.clock, end, travel)).catch(() => undefined);
      return found && { doc: found, query: queryAt(window, end, travel) };
    };
    const fromForm = asked[FORM_CLOCKS] !== undefined;
    // A date of the clock compared on, typed into the address, is refused as the API refuses it, whatever it is: the
    // comparison form's own (marked) is set aside instead. Any error of the time-travel hook at that field (not a date,
    // given twice) gives way to this one: correcting that date would only have it refused again.
    const misplaced = !fromForm && window.asked ? misplacedClock(window.clock, asked) : undefined;
    if (misplaced) {
      // A date refused is no date the page is read at: the page's clocks, and what is wrong with them, are read again
      // without it. Its title, banner and links are then the page's without it, as on every page that refuses a date,
      // not "as recorded at" the date just refused; and the other date is judged on its own, not against that one.
      // Every name that spells it goes (`as-of` beside `asOf`): the page has refused that clock once, at its field.
      const rest = Object.fromEntries(Object.entries(asked).filter(([name]) => clockSpeltBy(name) !== misplaced.field));
      const read = await pageClocksOf(deps)(rest);
      travel = request.timeTravel = read.travel;
      // The date form shows the refused date as typed, at its field, to be cleared.
      request.clockErrors = read.refused && { ...read.clockErrors, travelInput: typedClocks(asked) };
      window = windowAt(travel);
    }
    /** The time-travel form: the one field it offers beside a comparison, and a refused date, as typed, to be shown at its field. */
    const travelForm = { travelOnly: travelOnlyOf(window), ...(misplaced && { travelInput: typedClocks(asked), timeTravelForm: true }) };
    const misplacedError = misplaced && { text: misplaced.text, href: `#${misplaced.field}` };
    const misplacedTravelErrors = misplaced && { [misplaced.field]: misplaced.text };
    let formRefused: { field: string; text: string } | undefined;
    let formTooEarly = false;
    if (fromForm && window.ends && window.errors.length === 0) {
      window.ends = await readableEnds(window.ends);
      try {
        checkChangesQuery(reader, queryOf(window.clock, window.ends, travel));
      } catch (error) {
        formRefused = changesRefusal(error, window);
        if (!formRefused) throw error;
      }
      // A `to` before the plan was registered is a date to choose again too, here with both of the page's dates. (There at
      // `from` only, a correction in between took it away: that is what changed.)
      formTooEarly = !formRefused && !(await planAtEnd(window.ends.to)) && !(await planAtEnd(window.ends.from));
      if (!formRefused && !formTooEarly)
        return reply.redirect(addressWithClocksThatFit(`/web/plans/${planId}/changes`, request.url, asked.clock), 303);
    }
    // The plan at the page's own clocks names the page; whether it was there, or retracted, at `to` is changesView's to say.
    // Not there at them, it may still have been at one end: a correction moved its registration past the page's business
    // date, and the comparison shows the plan come or go. (An end a read refuses is changesView's to name, below.) The
    // plan's link then reads it at the end it was found at.
    const ends = window.ends && window.errors.length === 0 ? window.ends : undefined;
    const atPage = await reader.planDoc(planId, travel.clocks);
    const found = atPage ? { doc: atPage, query: undefined } : ends && ((await planAtEnd(ends.from)) ?? (await planAtEnd(ends.to)));
    // Its date form, as on the page itself, offers only the clock the comparison does not set, and refuses a date of the other.
    if (!found)
      return notFoundPage(
        request,
        reply,
        'No such plan',
        noPlanAt(travel),
        { ...travelForm, ...(misplacedError && { errors: [misplacedError], travelErrors: misplacedTravelErrors }) },
        // A date refused is the request's mistake, whether or not the plan is there: the API answers it 400 first.
        misplacedError ? 400 : 404,
      );
    const { doc } = found;
    const historyPage = historyAsked(request.query);
    const { order } = historyPage;
    const show = (data: Record<string, unknown>, travelErrors?: Record<string, string>, status?: number) =>
      showPage(
        request,
        reply,
        { planId, title: doc.plan.title, query: found.query },
        window,
        order,
        { ...travelForm, ...data },
        travelErrors,
        status,
      );
    const refusedShown = (refused: { field: string; text: string }) => {
      window.errors.push({ text: refused.text, href: `#${refused.field}` });
      return show({}, refused.field === 'from' || refused.field === 'to' ? undefined : { [refused.field]: refused.text });
    };
    /** No plan of this name by `to`: 404, as the API answers, with the form to choose a later date, the reason beside `to`. */
    const tooEarlyShown = (to: Ends['to']) => {
      window.errors.push({ text: noPlanBy(window.clock, to, travel), href: '#to' });
      return show({}, undefined, 404);
    };
    if (formRefused) return refusedShown(formRefused);
    if (formTooEarly) return tooEarlyShown(window.ends!.to);
    if (misplacedError) {
      window.errors.push(misplacedError);
      return show({}, misplacedTravelErrors);
    }
    if (!window.ends || window.errors.length) return show({});
    window.ends = await readableEnds(window.ends);
    const { from, to } = window.ends;
    const query = queryOf(window.clock, window.ends, travel);
    let answer: Awaited<ReturnType<typeof changesView>>;
    try {
      answer = await changesView(deps.read, planId, query);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'plan-not-found') return tooEarlyShown(to);
      const refused = changesRefusal(error, window);
      if (!refused) throw error;
      return refusedShown(refused);
    }
    // Retracted at `to`, the plan is in no view there, as the API answers 410: the page says who retracted it, when and why.
    if (answer.retraction)
      return retractedPage(request, reply, planId, { ...doc, retraction: answer.retraction }, { samePage: false, page: travelForm });
    const { body, timeline } = answer;
    const afterClocks = clocksAtEnd(window.clock, to, travel);
    // Each entry's "as the ledger stood then" link is to the plan's history at its instant, paged as recorded then.
    const asRecorded =
      afterClocks.effectiveOn === undefined ? timeline.entries : (await timelines(planId, { asOf: afterClocks.asOf })).entries;
    const rows = historyRows(timeline, body.entries, historyPage, directory.canonical, asRecorded);
    return show({
      changes: changesInWords(body, timeline),
      ...rows,
      fromQuery: queryAt(window, from, travel),
      toQuery: queryAt(window, to, travel),
      historyOf: `the plan, ${from.date} to ${to.date}`,
      historyPath: `/web/plans/${planId}/changes`,
      entryPath: `/web/plans/${planId}/history`,
      listQuery: new URLSearchParams({ from: window.input.from, to: window.input.to, clock: window.clock }).toString(),
      historyHeading: window.clock === 'recorded' ? 'Entries recorded in between' : 'Entries dated in between',
    });
  });
};

/**
 * What the address asked besides the clocks, as typed: what the time-travel form and the way back to today keep, and
 * the order of the entries in between (the comparison form keeps it too: comparing another window is no reason to lose it).
 */
const keptQuery = (window: ChangesWindow, order: TimelineOrder): Record<string, string> =>
  Object.fromEntries(
    Object.entries({ ...window.input, clock: window.clock, order: order === 'effective' ? order : '' }).filter(([, value]) => value !== ''),
  );

/**
 * The one clock the page's time-travel form offers once dates to compare are given: not the clock from and to are on,
 * which the page refuses beside them (misplacedClock), as the API does. Without dates, both: the comparison form keeps
 * the one that goes with the way of comparing chosen.
 */
const travelOnlyOf = (window: ChangesWindow): { field: 'asOf' | 'effectiveOn'; why: string } | undefined => {
  if (!window.asked) return undefined;
  return window.clock === 'recorded'
    ? {
        field: 'effectiveOn',
        why: 'As the ledger recorded it, from and to are the dates of what the ledger said: choose what was true on.',
      }
    : { field: 'asOf', why: 'By the dates things happened, from and to are the dates of what was true: choose what the ledger said at.' };
};

/**
 * Whose knowledge the banner names at a "what was true on" date: compared as the ledger recorded it, the ledger as it
 * stood at from and at to, not as it stands now. Undefined where the banner's own words hold (the ledger now, or at
 * the page's "what the ledger said at" date).
 */
const knownAsOf = (window: ChangesWindow, travel: TimeTravel): string | undefined =>
  window.clock === 'recorded' && window.ends && travel.effectiveOn !== undefined && !travel.past
    ? `as the ledger stood ${window.ends.from.words} and ${window.ends.to.words}`
    : undefined;

/** The page: the form always, with what was refused (400; 404 for a `to` before the plan was registered) or what changed. */
const showPage = (
  request: FastifyRequest,
  reply: FastifyReply,
  /** The plan, and the query its link reads it at when that is not the page's own clocks (it is not there at them). */
  plan: { planId: string; title: string; query: string | undefined },
  window: ChangesWindow,
  order: TimelineOrder,
  data: Record<string, unknown>,
  travelErrors: Record<string, string> | undefined,
  status = window.errors.length ? 400 : 200,
) =>
  renderPage(
    request,
    reply,
    'plan-changes.njk',
    {
      pageTitle: `What changed: ${plan.title}`,
      plan,
      window,
      errors: window.errors,
      // Each field's own message beside it, as the summary links to it.
      fieldErrors: Object.fromEntries(window.errors.map((e) => [e.href.slice(1), e.text])),
      travelErrors,
      keepQuery: keptQuery(window, order),
      order,
      formClocks: FORM_CLOCKS,
      timeTravelForm: true,
      travelKnownAs: knownAsOf(window, request.timeTravel!),
      ...data,
    },
    status,
  );
