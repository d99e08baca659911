import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../../api/http/problem.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import type { AccessSettings } from '../access-config.ts';
import { principalId } from '../principal.ts';
import { principalOf } from './request-principal.ts';

/**
 * Security headers, a CORS allow-list and per-principal rate limits. Registered before
 * any route, because the rate limiter attaches itself to routes as they are added.
 */
export const registerSecurityPlugins = async (app: FastifyInstance, settings: AccessSettings) => {
  registerSecurityHeaders(app);
  // No CORS at all unless origins are configured: browsers on other sites get nothing.
  if (settings.corsOrigins.length > 0)
    await app.register(cors, {
      origin: settings.corsOrigins,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key', 'x-correlation-id', 'x-request-id'],
      exposedHeaders: ['etag', 'location', 'idempotent-replayed', 'retry-after', 'allow'],
      maxAge: 600,
    });
  await app.register(rateLimit, {
    global: true,
    max: settings.rateLimit.max,
    timeWindow: settings.rateLimit.windowMs,
    // After authentication: a principal has its own budget; callers without one share their address's.
    keyGenerator: (request) => {
      const principal = principalOf(request);
      return principal ? principalId(principal) : `address:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new HttpProblem({
        status: 429,
        code: 'rate-limited',
        title: 'Too many requests',
        detail: `More than ${context.max} requests in ${context.after}; try again later`,
      }),
  });
};
