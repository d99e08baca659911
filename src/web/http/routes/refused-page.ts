import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../render.ts';

/** A page saying why a form is not offered, in the words of the page a refused request gets (refused.njk). */
export const refusedPage = (request: FastifyRequest, reply: FastifyReply, status: number, title: string, detail: string, code?: string) =>
  renderPage(request, reply, 'refused.njk', { pageTitle: title, problem: { title, detail, ...(code ? { code } : {}) } }, status);
