import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryInteger, queryIntegerOr } from '../../api/http/query-integer.ts';
import { startOfLondonDay } from '../../domain/calendar.ts';
import { asWritten, ledgerTimeRefusal, LedgerTime } from '../../../projections/clocks/ledger-time.ts';
import { ReadRequestError } from '../../../projections/clocks/read-request-error.ts';
import { problemResponses } from '../../api/http/openapi-responses.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import type { AccessLog } from '../port.ts';

/**
 * A bound of the access log's window, written as `asOf` is (ledger-time.ts): an instant with its
 * offset, to the minute or finer, or a London day, which counts whole: from its start, to its end.
 */
const Bound = (edge: 'start' | 'end') =>
  z.string().transform((raw, context) => {
    const read = LedgerTime.safeParse(raw);
    if (!read.success) {
      context.addIssue({ code: 'custom', message: ledgerTimeRefusal(raw) });
      return z.NEVER;
    }
    const written = asWritten(raw);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(written)) return read.data;
    // LedgerTime reads a day as its last millisecond; the entries before the next day's start are the whole day.
    return edge === 'start' ? startOfLondonDay(written) : new Date(Date.parse(read.data) + 1).toISOString();
  });

const AccessLogQuery = z
  .object({
    after: queryInteger(0, Number.MAX_SAFE_INTEGER).optional().describe('Return entries after this id'),
    limit: queryIntegerOr(1, 1000, 100),
    principalId: z
      .string()
      .max(300)
      .optional()
      .describe('e.g. api-key:0123456789abcdef, oidc:<subject>, or cli:<user>@<host> for the command line'),
    planId: z.string().max(200).optional(),
    route: z.string().max(300).optional().describe('A route pattern, e.g. /plans/:planId/events, or a command, e.g. ledger view plan'),
    status: queryInteger(100, 599).optional(),
    from: Bound('start').optional().describe('Entries at or after this instant, or from the start of this London day'),
    to: Bound('end').optional().describe('Entries before this instant, or to the end of this London day'),
  })
  .strict();

const Entry = z.object({
  id: z.number(),
  at: z.string(),
  principalId: z.string().nullable().describe('api-key:<keyId>, oidc:<subject>, or cli:<user>@<host> for the command line'),
  principalName: z.string().nullable(),
  role: z.string().nullable().describe('null for the command line, which has no role'),
  organisation: z.string().nullable(),
  method: z.string().describe('The HTTP method, or CLI for a read through the command line'),
  route: z.string().describe('The route pattern, or the command (ledger view plan)'),
  path: z.string().describe('Path and query string as requested, or the command line as typed'),
  planId: z.string().nullable(),
  status: z.number().describe('The HTTP status answered; for the command line, the status the API gives the same answer'),
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
      // Refused as every other window is (report-views.ts): an empty list would read as "nobody read anything".
      // `to` is exclusive, so a window with nothing between its ends (from=2026-12-05&to=2026-12-04) is refused too.
      if (from !== undefined && to !== undefined && from >= to) {
        // Named as written: the instants they were read as (a day's start, the next day's start) would read as a contradiction.
        const written = new URLSearchParams(req.url.split('?')[1]);
        throw new ReadRequestError(
          'invalid-window',
          'from',
          `the window from ${written.get('from')} to ${written.get('to')} holds no time: ` +
            'from must come before to (a day counts whole, so from=D&to=D is all of day D)',
        );
      }
      // Stored instants are UTC ISO strings, as the bounds are read: string comparison is time comparison.
      return log.query({ ...rest, from, to });
    },
  );
};
