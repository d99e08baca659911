import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem } from '../../api/http/problem.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import type { AccessSettings } from '../access-config.ts';
import { principalId } from '../principal.ts';
import { principalOf } from './request-principal.ts';
import { rateBudgets } from './rate-budgets.ts';
import { isRateLimitGivenBack } from './rate-refunds.ts';

/**
 * Security headers, a CORS allow-list and per-principal rate limits. Registered before
 * any route, because the rate limiter attaches itself to routes as they are added.
 */
/** The window a rate limit is counted over, as its settings give it: "1 minute", "90 seconds", "250 ms". */
const windowInWords = (ms: number) => {
  const [amount, unit] = ms % 60_000 === 0 ? [ms / 60_000, 'minute'] : ms % 1000 === 0 ? [ms / 1000, 'second'] : [ms, 'ms'];
  return unit === 'ms' ? `${amount} ms` : `${amount} ${unit}${amount === 1 ? '' : 's'}`;
};

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
  const budgets = rateBudgets();
  // What the limiter counted of each request, to give back if the service refused it before doing any work.
  const counted = new WeakMap<FastifyRequest, { key: string; at: number }>();
  await app.register(rateLimit, {
    global: true,
    max: settings.rateLimit.max,
    timeWindow: settings.rateLimit.windowMs,
    store: budgets.Store,
    // After authentication: a principal has its own budget; callers without one share their address's.
    keyGenerator: (request) => {
      const principal = principalOf(request);
      return principal ? principalId(principal) : `address:${request.ip}`;
    },
    onExceeding: (request, key) => counted.set(request, { key, at: Date.now() }),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem({
        status: 429,
        code: 'rate-limited',
        title: 'Too many requests',
        // `after` is the time until the budget is given back, not the window it is counted over.
        detail: `More than ${context.max} requests in ${windowInWords(settings.rateLimit.windowMs)}; try again in ${context.after}`,
      }),
  });
  // A request refused before any work through no doing of its caller (rate-refunds.ts): a client that retries after its
  // Retry-After is not to find its budget spent by the refusals. 401 and 403 still count: guessing keys costs.
  app.addHook('onSend', async (request, reply) => {
    const spent = counted.get(request);
    if (!spent || !isRateLimitGivenBack(request)) return;
    counted.delete(request);
    const count = budgets.giveBack(spent.key, spent.at);
    if (count !== undefined) reply.header('x-ratelimit-remaining', Math.max(0, settings.rateLimit.max - count));
  });
};
