import type { FastifyInstance } from 'fastify';
import type { WebRouteDeps } from '../web-deps.ts';

export const reportPages = (_deps: WebRouteDeps) => async (_app: FastifyInstance) => {};
