import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../render.ts';

/**
 * A page for a plan, action or organisation that does not exist (or did not yet, at the date asked
 * about). At an earlier date it offers the date form, so that another date can be tried from it.
 */
export const notFoundPage = (request: FastifyRequest, reply: FastifyReply, title: string, detail: string) =>
  renderPage(
    request,
    reply,
    'refused.njk',
    { pageTitle: title, problem: { title, detail }, timeTravelForm: request.timeTravel !== undefined && !request.timeTravel.live },
    404,
  );
