import type { FastifyInstance } from 'fastify';
import { sendProblem } from '../api/http/problem.ts';

/** Whether every name and value of a query string decodes (a `%` starts a valid escape, and the bytes are UTF-8). */
const decodes = (query: string): boolean => {
  try {
    for (const part of query.split(/[&=]/)) decodeURIComponent(part.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
};

/**
 * A query string that does not decode is refused as the path is (error-handler.ts,
 * `malformed-url`): the query parser keeps an escape it cannot read as its text, so
 * `after=%ZZ` was taken as a cursor and `organisation=%FF` looked up as a name. The pages
 * (under /web) answer their own inputs with a page, so they are left to do so. It runs before
 * validation, after access control has decided (preParsing): an unknown caller is told 401 first,
 * and a refused audited read is logged with its caller.
 */
export const refuseUndecodableQuery = (app: FastifyInstance) => {
  app.addHook('preValidation', async (request, reply) => {
    const url = request.raw.url ?? '';
    const at = url.indexOf('?');
    // An address that is no route is told so (404) whatever its query.
    if (at < 0 || request.is404 || /^\/web(\/|\?)/.test(url) || decodes(url.slice(at + 1))) return;
    request.log.info({ code: 'malformed-url' }, 'request refused: its query string does not decode');
    return sendProblem(
      reply,
      {
        status: 400,
        code: 'malformed-url',
        title: 'Bad request',
        detail: 'The URL is not valid: a percent-escape in its query does not decode',
      },
      url.slice(0, at),
    );
  });
};
