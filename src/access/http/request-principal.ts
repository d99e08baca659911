import type { FastifyRequest } from 'fastify';
import type { RouteAccess } from '../../api/http/route-access.ts';
import type { Authentication } from '../authenticate.ts';
import type { Principal } from '../principal.ts';

/** One row per registered route: what the access hook enforces, and what the tests' matrix is built from. */
export interface RouteAccessEntry {
  method: string;
  url: string;
  access: RouteAccess | undefined;
  auditRead: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access hook from the request's credentials; undefined until then or without them. */
    authentication?: Authentication;
  }
  interface FastifyInstance {
    accessTable: RouteAccessEntry[];
  }
}

export const principalOf = (request: FastifyRequest): Principal | undefined =>
  request.authentication?.kind === 'principal' ? request.authentication.principal : undefined;

/** For handlers behind the access hook: a missing principal there is a wiring bug, never a reason to carry on anonymously. */
export const requirePrincipal = (request: FastifyRequest): Principal => {
  const principal = principalOf(request);
  if (!principal) throw new Error(`no authenticated principal on ${request.method} ${request.url}`);
  return principal;
};
