import type { FastifyInstance } from 'fastify';
import { jwtVerify, SignJWT } from 'jose';
import type { OidcSignIn, SignInTransaction } from '../../../access/oidc-sign-in.ts';
import { renderPage } from '../render.ts';
import { setSession } from '../session-cookie.ts';
import { safeNext, type WebRouteDeps } from '../web-deps.ts';

const TRANSACTION_COOKIE = 'al_oidc';
const TRANSACTION_SECONDS = 600;
/**
 * The state, nonce and PKCE verifier ride in a signed cookie for the ten minutes a sign-in may
 * take, so any instance can finish what another started. SameSite=Lax, not Strict: the
 * provider sends the browser back with a cross-site navigation, on which Strict cookies stay home.
 */
const transactionCookie = { path: '/web/sign-in', httpOnly: true, sameSite: 'lax' as const, secure: 'auto' as const };

export const oidcSignInRoutes = (deps: WebRouteDeps, oidc: OidcSignIn) => async (app: FastifyInstance) => {
  const page = { access: 'public' as const, page: true };
  const seal = (t: SignInTransaction) =>
    new SignJWT({ ...t })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('assurance-ledger/oidc-sign-in')
      .setExpirationTime(`${TRANSACTION_SECONDS}s`)
      .sign(deps.secret);
  const unseal = async (token: string | undefined): Promise<SignInTransaction | undefined> => {
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, deps.secret, { issuer: 'assurance-ledger/oidc-sign-in', algorithms: ['HS256'] });
      const { state, nonce, codeVerifier, next } = payload as Record<string, unknown>;
      return [state, nonce, codeVerifier, next].every((v) => typeof v === 'string')
        ? { state: state as string, nonce: nonce as string, codeVerifier: codeVerifier as string, next: next as string }
        : undefined;
    } catch {
      return undefined;
    }
  };
  const failed = (request: Parameters<typeof renderPage>[0], reply: Parameters<typeof renderPage>[1], detail: string, status: number) =>
    renderPage(
      request,
      reply,
      'refused.njk',
      { pageTitle: 'You could not be signed in', problem: { title: 'You could not be signed in', detail } },
      status,
    );

  app.get('/sign-in/oidc', { config: page, schema: { hide: true } }, async (request, reply) => {
    let started;
    try {
      started = await oidc.start(safeNext((request.query as { next?: unknown }).next));
    } catch (error) {
      request.log.error({ err: error }, 'OpenID Connect discovery failed');
      return failed(request, reply, `${oidc.label} did not answer. Try again later, or sign in with an API key.`, 503);
    }
    reply.setCookie(TRANSACTION_COOKIE, await seal(started.transaction), { ...transactionCookie, maxAge: TRANSACTION_SECONDS });
    return reply.code(303).header('location', started.url).send();
  });

  app.get('/sign-in/callback', { config: page, schema: { hide: true } }, async (request, reply) => {
    const transaction = await unseal(request.cookies[TRANSACTION_COOKIE]);
    reply.clearCookie(TRANSACTION_COOKIE, transactionCookie);
    if (!transaction) return failed(request, reply, 'The sign-in took too long or was not started here. Start again.', 400);
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const outcome = await oidc.finish(query, transaction);
    if (!outcome.ok) {
      request.log.warn({ code: outcome.code, detail: outcome.detail }, 'OpenID Connect sign-in refused');
      return failed(
        request,
        reply,
        outcome.code === 'sign-in-failed' ? `${oidc.label} did not confirm who you are. Start again.` : outcome.detail,
        outcome.code === 'sign-in-failed' ? 401 : 403,
      );
    }
    const session = await deps.sessions.issue(outcome.principal);
    setSession(reply, session.token, session.expiresAt);
    request.log.info({ principal: `oidc:${outcome.principal.via === 'oidc' ? outcome.principal.subject : ''}` }, 'web sign-in');
    // A page, not a redirect: the browser arrived here from another site, and only a navigation
    // that starts on this site sends the new SameSite=Strict session cookie.
    return renderPage(request, reply, 'signed-in.njk', {
      pageTitle: 'Signed in',
      next: safeNext(transaction.next),
      signedInAs: outcome.principal,
    });
  });
};
