import type { SwaggerTransform } from '@fastify/swagger';
import type { RouteAccess } from '../../api/http/route-access.ts';
import { rolesFor } from '../roles.ts';

/** The two ways to authenticate, as OpenAPI security schemes. Both travel as `Authorization: Bearer`. */
export const securitySchemes = {
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'al_<keyId>_<secret>',
    description: 'An API key created with `ledger keys create` or POST /admin/keys',
  },
  oidc: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An OpenID Connect access token from the configured issuer; its role and organisation claims are mapped to a ledger role',
  },
} as const;

const bearerEither: { [scheme: string]: readonly string[] }[] = [{ apiKey: [] }, { oidc: [] }];

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { type: 'object' } } } });

/**
 * Adds to each documented route its security requirement, the roles that may call it,
 * and the 401/403/429 answers (open routes: 429 only), from the same `config.access` the access hook enforces.
 */
export const withRouteSecurity =
  (inner: SwaggerTransform): SwaggerTransform =>
  (args) => {
    const out = inner(args);
    const access = (args.route.config as { access?: RouteAccess } | undefined)?.access;
    const schema = out.schema as Record<string, unknown> & { response?: Record<string, unknown>; description?: string };
    // Open routes need no credentials, but the rate limit still counts their callers by address.
    if (access === undefined || access === 'public')
      return {
        ...out,
        schema: { ...schema, security: [], response: { ...schema.response, 429: problem('Too many requests from this address') } },
      };
    const roles = rolesFor(access).join(', ');
    return {
      ...out,
      schema: {
        ...schema,
        security: bearerEither,
        description: [schema.description, `Access: ${access} (roles: ${roles}).`].filter(Boolean).join('\n\n'),
        response: {
          ...schema.response,
          401: problem('No credentials, or credentials that are not valid'),
          403: problem('The caller may not do this'),
          429: problem('Too many requests from this caller'),
        },
      },
    };
  };
