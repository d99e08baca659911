import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryInteger, queryIntegerOr } from '../../api/http/query-integer.ts';
import { isoInstant } from '../../domain/calendar.ts';
import { problemResponses } from '../../api/http/openapi-responses.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import type { AccessLog } from '../port.ts';

const AccessLogQuery = z
  .object({
    after: queryInteger(0, Number.MAX_SAFE_INTEGER).optional().describe('Return entries after this id'),
    limit: queryIntegerOr(1, 1000, 100),
    principalId: z.string().max(300).optional().describe('e.g. api-key:0123456789abcdef or oidc:<subject>'),
    planId: z.string().max(200).optional(),
    route: z.string().max(300).optional().describe('A route pattern, e.g. /plans/:planId/events'),
    status: queryInteger(100, 599).optional(),
    from: z.iso.datetime().optional().describe('Entries at or after this instant'),
    to: z.iso.datetime().optional().describe('Entries before this instant'),
  })
  .strict();

const Entry = z.object({
  id: z.number(),
  at: z.string(),
  principalId: z.string().nullable(),
  principalName: z.string().nullable(),
  role: z.string().nullable(),
  organisation: z.string().nullable(),
  method: z.string(),
  route: z.string(),
  path: z.string(),
  planId: z.string().nullable(),
  status: z.number(),
  requestId: z.string(),
  ip: z.string().nullable(),
});

/** Who read what, for auditors. Reading the access log is itself recorded in it. */
export const accessLogRoutes = (log: AccessLog) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const config: RouteAccessConfig = { access: 'audit', auditRead: true };
  app.get(
    '/access-log',
    {
      config,
      schema: {
        tags: ['access'],
        summary: 'Reads of sensitive detail: who, which route and plan, when, and the answer given',
        querystring: AccessLogQuery,
        response: {
          200: z.object({ entries: z.array(Entry), next: z.number().nullable().describe('Pass as after for the next page') }),
          ...problemResponses,
        },
      },
    },
    async (req) => {
      const { from, to, ...rest } = req.query;
      // Stored instants are UTC ISO strings; normalise so string comparison is time comparison.
      return log.query({ ...rest, from: from && isoInstant(from), to: to && isoInstant(to) });
    },
  );
};
