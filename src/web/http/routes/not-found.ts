import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TimeTravel } from '../../time-travel.ts';
import { otherQueryOf, renderPage } from '../render.ts';

/** Whether a page that shows no plan (none there, or retracted) offers the date form: at an earlier date, to try another. */
export const offersDateForm = (request: FastifyRequest): boolean => request.timeTravel !== undefined && !request.timeTravel.live;

/**
 * A page for a plan, action or organisation that does not exist (or did not yet, at the date asked
 * about). At an earlier date it offers the date form, so that another date can be tried from it.
 * `page` is what the page's own date form takes (the changes page's: only the clock its comparison
 * does not set, and a date of the other refused at its field), and `status` 400 when such a date is refused there, as
 * the API refuses the request before it looks for the plan.
 */
export const notFoundPage = (
  request: FastifyRequest,
  reply: FastifyReply,
  title: string,
  detail: string,
  page: Record<string, unknown> = {},
  status = 404,
) =>
  renderPage(
    request,
    reply,
    'refused.njk',
    {
      pageTitle: title,
      problem: { title, detail },
      timeTravelForm: offersDateForm(request),
      // Another date tried from the form, or the way back to today, is the same page with the rest of what it asked for.
      keepQuery: otherQueryOf(request.query),
      ...page,
    },
    status,
  );

/**
 * Why no plan was shown: at a business date, that none of this name had been registered by then (it may
 * be now); at a ledger time, that none had been recorded by then: registering is the plan's own event,
 * dated as it happened, and a plan registered in 2015 may be recorded in the ledger years later. At both,
 * by the business date, as the ledger knew it then: the plan may have been recorded by the ledger's date
 * with a business date after the other.
 */
export const noPlanAt = (travel: TimeTravel): string =>
  travel.effectiveOn
    ? `No plan with this name had been registered ${travel.effectiveBy}${travel.past ? `, as the ledger knew it at ${travel.label}` : ''}.`
    : travel.past
      ? `No plan with this name had been recorded by ${travel.label}.`
      : 'No plan has this name.';
