import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import type { AccessControl } from '../access-control.ts';

const Configuration = z.object({
  oidc: z
    .object({
      issuer: z.string(),
      audience: z.string(),
      jwksUrl: z.string(),
      algorithms: z.array(z.string()),
      clockToleranceSeconds: z.number(),
      claims: z.object({ role: z.string(), organisation: z.string(), name: z.string() }),
      roleMap: z.record(z.string(), z.string()),
    })
    .nullable(),
  corsOrigins: z.array(z.string()),
  rateLimit: z.object({ max: z.number(), windowMs: z.number() }),
  headerLimit: z.number(),
  organisations: z.array(z.object({ name: z.string(), aliases: z.array(z.string()) })),
});

/**
 * What an admin needs to check that sign-in is set up as intended: the effective access
 * settings (none of them secret) and the organisation names keys and tokens resolve to.
 * Read-only: configuration is changed in the environment and alias files, not over HTTP.
 */
export const adminConfigurationRoutes = (access: AccessControl) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const config: RouteAccessConfig = { access: 'admin' };
  app.get(
    '/admin/configuration',
    {
      config,
      schema: {
        tags: ['access'],
        summary: 'The effective access configuration and organisation directory',
        response: { 200: Configuration },
      },
    },
    async () => ({ ...access.settings, oidc: access.settings.oidc ?? null, organisations: access.directory.list() }),
  );
};
