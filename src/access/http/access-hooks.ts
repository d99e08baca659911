import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem, type Problem } from '../../api/http/problem.ts';
import type { AccessControl } from '../access-control.ts';
import type { Authentication } from '../authenticate.ts';
import { principalId } from '../principal.ts';
import { roleMayCall } from '../roles.ts';
import { authorizationFieldCount } from './authorization-header.ts';
import { principalOf } from './request-principal.ts';

const REALM = 'Bearer realm="assurance-ledger"';

/** The swagger UI's own routes (registered by its plugin, without our config) are the only undeclared routes let through. */
const isDocs = (url: string | undefined) => url === '/docs' || (url?.startsWith('/docs/') ?? false);

const unauthorised = (reply: FastifyReply, request: FastifyRequest, problem: Problem, credentialsGiven: boolean) => {
  // RFC 6750: say which scheme; and, when credentials were given, that they were the problem.
  const description = (problem.detail ?? problem.title).replace(/["\\]/g, '');
  reply.header('www-authenticate', credentialsGiven ? `${REALM}, error="invalid_token", error_description="${description}"` : REALM);
  return sendProblem(reply, problem, request.url);
};

/**
 * Pages for people (routes with `page` in their config) know the caller by a session cookie
 * and answer refusals with pages; the web module supplies both. Without one, a page route
 * finds every caller anonymous and refuses them: closed by default.
 */
export interface PageGate {
  /** Whether an unknown URL is under the pages (it then gets a page too: sign in first, then "page not found"). */
  ownsUnknown: (url: string) => boolean;
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<Authentication>;
  refuse: (request: FastifyRequest, reply: FastifyReply, problem: Problem) => FastifyReply | Promise<FastifyReply>;
}

/**
 * Authentication runs first, on every request (onRequest), and only records what the
 * credentials establish. The rate limiter (a route onRequest hook, so after this one)
 * keys on that principal. The decision comes last, in preParsing, before any body is
 * read: 401 without valid credentials, 403 when the role may not call the route, and
 * 403 for any route that did not declare its access level (fail closed).
 */
export const installAccessHooks = (app: FastifyInstance, access: AccessControl, pages?: PageGate) => {
  app.addHook('onRequest', async (request, reply) => {
    // Open routes never look at credentials: a token sent to /health costs nothing and fetches no keys.
    const declared = request.routeOptions.config.access;
    if (isPage(request, pages)) {
      // A page knows its caller by the session cookie only; an Authorization header sent to a page is ignored.
      request.authentication = pages ? await pages.authenticate(request, reply) : { kind: 'anonymous' };
    } else {
      if (declared === 'public' || (declared === undefined && isDocs(request.routeOptions.url))) return;
      request.authentication =
        authorizationFieldCount(request.raw) > 1
          ? {
              kind: 'refused',
              status: 401,
              code: 'invalid-authorization-header',
              detail: 'Send one Authorization header: the request carried more than one',
            }
          : await access.authenticate(request.headers.authorization);
    }
    const principal = principalOf(request);
    if (principal) request.log = request.log.child({ principal: principalId(principal), role: principal.role });
  });

  app.addHook('preParsing', async (request, reply) => {
    const route = request.routeOptions;
    const declared = route.config.access;
    if (declared === 'public' || (declared === undefined && isDocs(route.url))) return;
    if (isPage(request, pages)) {
      const problem = pageRefusal(request, declared);
      return problem && (pages ? pages.refuse(request, reply, problem) : sendProblem(reply, problem, request.url));
    }
    if (declared === undefined && !request.is404) {
      request.log.error({ route: route.url }, 'route has no declared access level: refused');
      return sendProblem(
        reply,
        { status: 403, code: 'route-access-undeclared', title: 'Forbidden', detail: 'This route has no access level and is closed' },
        request.url,
      );
    }
    const authn = request.authentication ?? { kind: 'anonymous' as const };
    if (authn.kind === 'anonymous')
      return unauthorised(
        reply,
        request,
        {
          status: 401,
          code: 'authentication-required',
          title: 'Authentication required',
          detail: 'Send Authorization: Bearer <API key or token>',
        },
        false,
      );
    if (authn.kind === 'refused') {
      const problem = {
        status: authn.status,
        code: authn.code,
        title: authn.status === 401 ? 'Authentication failed' : authn.status === 403 ? 'Forbidden' : 'Service unavailable',
        detail: authn.detail,
      };
      return authn.status === 401 ? unauthorised(reply, request, problem, true) : sendProblem(reply, problem, request.url);
    }
    // Unknown URLs: only an authenticated caller learns that a route does not exist.
    if (declared === undefined) return;
    if (!roleMayCall(authn.principal.role, declared))
      return sendProblem(
        reply,
        {
          status: 403,
          code: 'role-not-permitted',
          title: 'Forbidden',
          detail: `The ${authn.principal.role} role cannot call ${request.method} ${route.url}`,
        },
        request.url,
      );
  });
};

const isPage = (request: FastifyRequest, pages: PageGate | undefined) =>
  request.routeOptions.config.page === true || (request.is404 && pages?.ownsUnknown(request.url) === true);

/** The same decision for a page: who may see it follows its declared level exactly as for the API. */
const pageRefusal = (request: FastifyRequest, declared: string | undefined): Problem | undefined => {
  const authn = request.authentication ?? { kind: 'anonymous' as const };
  if (declared === undefined && !request.is404)
    return { status: 403, code: 'route-access-undeclared', title: 'Forbidden', detail: 'This page has no access level' };
  if (authn.kind === 'anonymous')
    return { status: 401, code: 'authentication-required', title: 'Sign in', detail: 'Sign in to see this page' };
  if (authn.kind === 'refused') return { status: authn.status, code: authn.code, title: 'Sign in again', detail: authn.detail };
  // Only a signed-in person learns that a page does not exist.
  if (declared === undefined) return undefined;
  if (!roleMayCall(authn.principal.role, declared as Parameters<typeof roleMayCall>[1]))
    return {
      status: 403,
      code: 'role-not-permitted',
      title: 'You cannot see this page',
      detail: `The ${authn.principal.role} role cannot use this page`,
    };
  return undefined;
};
