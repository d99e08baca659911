import type { FastifyInstance } from 'fastify';
import type { EventStore } from '../../store/port.ts';

/** /health: the process answers. /ready: it can also reach its store, so a load balancer may send it traffic. */
export const healthRoutes = (store: EventStore, isShuttingDown: () => boolean) => async (app: FastifyInstance) => {
  app.get('/health', { config: { access: 'public' }, schema: { tags: ['operations'], summary: 'Liveness' } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/ready',
    { config: { access: 'public' }, schema: { tags: ['operations'], summary: 'Readiness: the store answers' } },
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
