import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { EventStore } from '../../store/port.ts';

const Alive = z.object({ status: z.literal('ok') });
const Ready = z.object({ status: z.literal('ready'), headPosition: z.string().nullable().describe('The last global position, if any') });
const NotReady = z.object({ status: z.literal(503), code: z.enum(['shutting-down', 'store-unavailable']), title: z.string() }).loose();

/** /health: the process answers. /ready: it can also reach its store, so a load balancer may send it traffic. */
export const healthRoutes = (store: EventStore, isShuttingDown: () => boolean) => async (app: FastifyInstance) => {
  app.get(
    '/health',
    { config: { access: 'public' }, schema: { tags: ['operations'], summary: 'Liveness', response: { 200: Alive } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: { tags: ['operations'], summary: 'Readiness: the store answers', response: { 200: Ready, 503: NotReady } },
    },
    async (_req, reply) => {
      if (isShuttingDown())
        return reply.code(503).type('application/problem+json').send({ status: 503, code: 'shutting-down', title: 'Shutting down' });
      try {
        const head = await store.headPosition();
        return { status: 'ready', headPosition: head === undefined ? null : head.toString() };
      } catch (error) {
        _req.log.error({ err: error }, 'store not reachable');
        return reply
          .code(503)
          .type('application/problem+json')
          .send({ status: 503, code: 'store-unavailable', title: 'The event store does not answer' });
      }
    },
  );
};
