import type { FastifyInstance } from 'fastify';
import type { WebRouteDeps } from '../web-deps.ts';

export const integrityPages = (_deps: WebRouteDeps) => async (_app: FastifyInstance) => {};
