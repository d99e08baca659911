import type { FastifyReply } from 'fastify';

export const SESSION_COOKIE = 'al_session';

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), and Secure
 * whenever the request came over TLS: 'auto' follows request.protocol, which honours
 * X-Forwarded-Proto only from proxies LEDGER_TRUST_PROXY names. Limited to the pages' path.
 */
export const sessionCookieOptions = (maxAgeSeconds?: number) => ({
  path: '/web',
  httpOnly: true,
  sameSite: 'strict' as const,
  secure: 'auto' as const,
  ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
});

export const setSession = (reply: FastifyReply, token: string, expiresAt: number) =>
  reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(Math.max(0, expiresAt - Math.floor(Date.now() / 1000))));

export const clearSession = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, sessionCookieOptions());
