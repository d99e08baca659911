import type { FastifyInstance } from 'fastify';
import type { OidcSignIn } from '../../../access/oidc-sign-in.ts';
import type { WebRouteDeps } from '../web-deps.ts';

export const oidcSignInRoutes = (_deps: WebRouteDeps, _oidc: OidcSignIn) => async (_app: FastifyInstance) => {};
