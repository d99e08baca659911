import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../../events/envelope.ts';
import { createCommandHandler, type CommandHandler } from '../commands/handle-command.ts';
import type { EventStore } from '../store/port.ts';
import type { CommandRouteDeps } from './command-route.ts';
import { registerErrorHandlers } from './error-handler.ts';
import './route-access.ts';
import { eventReadRoutes } from './routes/event-read-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import type { LedgerIntegrity } from '../integrity/sqlite/ledger-integrity.ts';
import { ledgerIntegrityRoutes } from './routes/ledger-integrity-routes.ts';
import { planCommandRoutes } from './routes/plan-command-routes.ts';

export interface AppDeps {
  store: EventStore;
  /** The actor of every write until access control identifies callers: the configured local operator. */
  operator: Actor;
  logger?: FastifyServerOptions['loggerInstance'] | boolean;
  bodyLimit?: number;
  clock?: () => Date;
  /** Set by the server during graceful shutdown so /ready turns away new traffic. */
  isShuttingDown?: () => boolean;
  handle?: CommandHandler;
  /** Checkpoints, proofs and verification (src/integrity); the /ledger integrity routes exist only when given. */
  ledger?: LedgerIntegrity;
}

/** Builds the whole HTTP application without listening: tests call inject(), the server calls listen(). */
export const buildApp = async (deps: AppDeps): Promise<FastifyInstance> => {
  const { logger = false } = deps;
  const app = Fastify({
    ...(typeof logger === 'boolean' ? { logger } : { loggerInstance: logger }),
    bodyLimit: deps.bodyLimit ?? 256 * 1024,
    // Every log line of a request carries its id; a caller's X-Request-Id is kept so logs join up across services.
    requestIdHeader: 'x-request-id',
    genReqId: () => uuidv7(),
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  // Commands are JSON; a text body is refused with 415 rather than half-understood.
  app.removeContentTypeParser('text/plain');

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Assurance Ledger',
        version: '0.1.0',
        description:
          'An event-sourced audit ledger for the recommendations and actions of NHS crisis-care action plans, investigations and inquiries. Every change is an immutable event.',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  const commandDeps: CommandRouteDeps = {
    handle: deps.handle ?? createCommandHandler({ store: deps.store, ...(deps.clock ? { clock: deps.clock } : {}) }),
    actorOf: () => deps.operator,
  };
  await app.register(healthRoutes(deps.store, deps.isShuttingDown ?? (() => false)));
  await app.register(planCommandRoutes(commandDeps));
  await app.register(eventReadRoutes(deps.store));
  if (deps.ledger) await app.register(ledgerIntegrityRoutes(deps.ledger));
  return app;
};
