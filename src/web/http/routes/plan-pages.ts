import type { FastifyInstance } from 'fastify';
import type { WebRouteDeps } from '../web-deps.ts';

export const planPages = (_deps: WebRouteDeps) => async (_app: FastifyInstance) => {};
