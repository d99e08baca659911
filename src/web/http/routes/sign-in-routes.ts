import type { FastifyInstance } from 'fastify';
import { renderPage } from '../render.ts';
import { clearSession, setSession } from '../session-cookie.ts';
import { safeNext, type WebRouteDeps } from '../web-deps.ts';
import { fieldGivenTwice } from '../fields-once.ts';
import { oidcSignInRoutes } from './oidc-sign-in-routes.ts';

const WHY: Record<string, string> = {
  'session-expired': 'Your session expired. Sign in again to carry on.',
  'session-ended': 'Your session ended because the key it was started with has been revoked.',
  'session-invalid': 'Your session could not be read. Sign in again.',
  'signed-out': 'You have signed out.',
};

/**
 * Signing in with an API key starts a session; the key itself is sent once, in the form's
 * body (never in a URL), checked by the same authenticator as the API, and not kept: the
 * session names only the key's id and is checked against the key store on every page.
 */
export const signInRoutes = (deps: WebRouteDeps) => async (app: FastifyInstance) => {
  const page = { access: 'public' as const, page: true };
  const show = (
    request: Parameters<typeof renderPage>[0],
    reply: Parameters<typeof renderPage>[1],
    extra: Record<string, unknown>,
    status = 200,
  ) => {
    const query = request.query as { next?: unknown; why?: unknown };
    const why = typeof query.why === 'string' ? WHY[query.why] : undefined;
    return renderPage(
      request,
      reply,
      'sign-in.njk',
      { pageTitle: 'Sign in', next: safeNext(query.next), why, oidc: deps.oidc?.label, ...extra },
      status,
    );
  };

  app.get('/sign-in', { config: page, schema: { hide: true } }, (request, reply) => {
    if (request.authentication?.kind === 'principal')
      return reply
        .code(303)
        .header('location', safeNext((request.query as { next?: unknown }).next))
        .send();
    return show(request, reply, {});
  });

  app.post('/sign-in', { config: page, schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const body = (request.body ?? {}) as { apiKey?: unknown; next?: unknown };
    const next = safeNext(body.next);
    const key = typeof body.apiKey === 'string' ? body.apiKey.trim() : '';
    const refuse = (text: string, status = key === '' ? 400 : 401) =>
      show(request, reply, { next, errors: [{ text, href: '#apiKey' }], apiKeyError: text }, status);
    // Checked before the key is: a key or a `next` given twice is neither read as a list nor as its last value.
    const twice = fieldGivenTwice(request);
    if (twice) return refuse(twice.text, 400);
    if (key === '') return refuse('Enter your API key');
    const outcome = key.startsWith('al_') ? await deps.authenticate(`Bearer ${key}`) : undefined;
    if (outcome?.kind !== 'principal')
      return refuse('The API key is not valid. Check it was copied whole, or ask for a new one if it was revoked');
    const session = await deps.sessions.issue(outcome.principal);
    setSession(reply, session.token, session.expiresAt);
    request.log.info({ principal: outcome.principal.via === 'api-key' ? `api-key:${outcome.principal.keyId}` : 'oidc' }, 'web sign-in');
    return reply.code(303).header('location', next).send();
  });

  app.post('/sign-out', { config: page, schema: { hide: true }, preHandler: app.csrfProtection }, (_request, reply) => {
    clearSession(reply);
    return reply.code(303).header('location', '/web/sign-in?why=signed-out').send();
  });

  if (deps.oidc) await app.register(oidcSignInRoutes(deps, deps.oidc));
};
