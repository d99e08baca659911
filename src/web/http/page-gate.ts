import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageGate } from '../../access/http/access-hooks.ts';
import type { Sessions } from '../../access/session.ts';
import type { Problem } from '../../api/http/problem.ts';
import { clearSession, SESSION_COOKIE } from './session-cookie.ts';
import { isPageAddress } from '../../http/page-address.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session a page request came with, once the page gate has checked it. */
    webSession?: { sessionId: string; expiresAt: number };
    /** A fresh nonce per page, for the one inline script nhsuk-frontend's template carries. */
    cspNonce?: string;
  }
}

/**
 * The policy of every page: nothing inline but the script carrying this response's nonce,
 * everything else from this origin only. No 'unsafe-inline' anywhere, styles included.
 */
export const pageContentSecurityPolicy = (nonce: string) =>
  [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');

/** Every page gets its own nonce and policy, and is never kept by shared caches (pages show what a role may see). */
export const preparePageHeaders = (request: FastifyRequest, reply: FastifyReply) => {
  const nonce = randomBytes(16).toString('base64');
  request.cspNonce = nonce;
  reply.header('content-security-policy', pageContentSecurityPolicy(nonce));
  reply.header('cache-control', 'no-store');
};

/** Where a refused page sends people: sign-in for who is not (or no longer) signed in, a page saying why otherwise. */
export const createPageGate = (sessions: Sessions): PageGate => ({
  ownsUnknown: isPageAddress,
  async authenticate(request: FastifyRequest, reply: FastifyReply) {
    preparePageHeaders(request, reply);
    const check = await sessions.check(request.cookies[SESSION_COOKIE]);
    if (check.ok) {
      request.webSession = { sessionId: check.sessionId, expiresAt: check.expiresAt };
      return { kind: 'principal', principal: check.principal };
    }
    if (check.reason === 'no-session') return { kind: 'anonymous' };
    clearSession(reply);
    const detail =
      check.reason === 'expired'
        ? 'Your session has expired. Sign in again.'
        : check.reason === 'ended'
          ? 'Your session has ended because its key was revoked. Sign in with a current key.'
          : 'Your session is not valid. Sign in again.';
    return { kind: 'refused', status: 401, code: `session-${check.reason}`, detail };
  },
  async refuse(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
    if (problem.status === 401) {
      // Back to where they were going after signing in; only a path on this site, never a full URL.
      const next = request.method === 'GET' ? request.url : '/web';
      const query = new URLSearchParams({ next });
      if (problem.code !== 'authentication-required') query.set('why', problem.code);
      return reply.code(303).header('location', `/web/sign-in?${query}`).send();
    }
    return reply.code(problem.status).view('refused.njk', {
      ...baseContext(request),
      pageTitle: problem.title,
      problem,
      signedIn: request.authentication?.kind === 'principal',
    });
  },
});

/** What every page template needs, whatever the route: the nonce and who is signed in. */
export const baseContext = (request: FastifyRequest) => ({
  cspNonce: request.cspNonce,
  principal: request.authentication?.kind === 'principal' ? request.authentication.principal : undefined,
});
