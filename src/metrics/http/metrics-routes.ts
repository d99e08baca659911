import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import type { LedgerMetrics } from '../ledger-metrics.ts';

/** Counts and times every request; on the root instance, so it sees every route (fastify scopes hooks to their plugin). */
export const countRequests = (app: FastifyInstance, metrics: LedgerMetrics): void => {
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
};

/**
 * GET /metrics for Prometheus (countRequests is the hook that counts and times every request by its route
 * pattern (never the raw URL: plan ids would make a series per plan). The route is closed to
 * everyone but keys and tokens of the `metrics` role, which may call nothing else; scrapes are
 * not sensitive reads, so they are not written to the access log, and the request log keeps
 * them out at info level (a scrape every 15 s would bury everything else).
 */
export const metricsRoutes = (metrics: LedgerMetrics) => async (app: FastifyInstance) => {
  const config: RouteAccessConfig = { access: 'metrics' };
  app.get(
    '/metrics',
    {
      config,
      logLevel: 'warn',
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics: requests, appends, projection lag, checkpoint age, last verify and backup, disk (docs/operations.md)',
        produces: ['text/plain'],
        response: { 200: z.string().describe('Prometheus text exposition format 0.0.4') },
      },
    },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()),
  );
};
