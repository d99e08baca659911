import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryIntegerOr } from '../../api/http/query-integer.ts';
import { eventTypes } from '../../../events/catalogue.ts';
import { toJsonEvent, type JsonEvent } from '../../../events/envelope.ts';
import type { EventStore } from '../../store/port.ts';
import { etagOf } from '../../api/http/command-routes.ts';
import { EventJson, problemResponses } from '../../api/http/openapi-responses.ts';
import { HttpProblem } from '../../api/http/problem.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import { PlanParams } from '../../api/http/plan-params.ts';
import { planStream } from '../../../events/streams.ts';

/**
 * A ledger position: positions are counted from 0 one event at a time, so none reaches 2^53
 * (and a larger one overflowed the store's integers).
 */
const Cursor = z
  .string()
  // One check, so a cursor that is no number is told one thing (a refine after a regex runs even when the regex fails).
  .refine(
    (value) => /^\d{1,16}$/.test(value) && Number(value) <= Number.MAX_SAFE_INTEGER,
    `a position is a whole number, at most ${Number.MAX_SAFE_INTEGER}`,
  );

const LedgerQuery = z
  .object({
    after: Cursor.optional().describe('Return events after this global position'),
    limit: queryIntegerOr(1, 10_000, 1000),
    type: z
      .enum(eventTypes as [string, ...string[]])
      .optional()
      .describe('Only events of this type'),
  })
  .strict();

const PlanEventsPage = z.object({
  planId: z.string(),
  revision: z.number(),
  events: z.array(EventJson),
  nextFromRevision: z.number().nullable().describe('Pass as fromRevision for the next page; null on the last page'),
});
const LedgerEventsPage = z.object({
  events: z.array(EventJson),
  next: z.string().nullable().describe('Pass as after for the next page; null at the head of the ledger'),
  scanned: z.number(),
});

const StreamQuery = z
  .object({ fromRevision: queryIntegerOr(0, Number.MAX_SAFE_INTEGER, 0), limit: queryIntegerOr(1, 10_000, 10_000) })
  .strict();

/** Raw reads: the events themselves, for auditors and for clients that build their own views. */
export const eventReadRoutes = (store: EventStore) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['events'];
  const config: RouteAccessConfig = { access: 'audit', auditRead: true };

  app.get(
    '/plans/:planId/events',
    {
      config,
      schema: {
        tags,
        summary: "A plan's events in revision order",
        params: PlanParams,
        querystring: StreamQuery,
        response: { 200: PlanEventsPage, ...problemResponses },
      },
    },
    async (req, reply) => {
      const stream = planStream(req.params.planId);
      const revision = await store.streamRevision(stream);
      if (revision === undefined)
        throw new HttpProblem({ status: 404, code: 'plan-not-found', title: 'Not found', detail: `No plan ${req.params.planId}` });
      const events: JsonEvent[] = [];
      let more = false;
      // The page ends at the revision read first, which the ETag and the body name: an event appended since (here or on
      // another instance) is on the next read, not in a body named by an older revision.
      for await (const event of store.readStream(stream, { fromRevision: BigInt(req.query.fromRevision), limit: req.query.limit + 1 })) {
        if (event.revision > revision) break;
        if (events.length === req.query.limit) {
          more = true;
          break;
        }
        events.push(toJsonEvent(event));
      }
      const last = events.at(-1);
      return reply
        .header('etag', etagOf(revision))
        .send({ planId: req.params.planId, revision: Number(revision), events, nextFromRevision: more && last ? last.revision + 1 : null });
    },
  );

  app.get(
    '/ledger/events',
    {
      config,
      schema: {
        tags,
        summary: 'The whole ledger in global order, a page at a time',
        querystring: LedgerQuery,
        response: { 200: LedgerEventsPage, ...problemResponses },
      },
    },
    async (req) => {
      const fromPosition = req.query.after === undefined ? 0n : BigInt(req.query.after) + 1n;
      const events: JsonEvent[] = [];
      let last: bigint | undefined;
      let scanned = 0;
      // A type filter may skip many events: the cursor still advances past what was scanned, so paging always progresses.
      for await (const event of store.readAll({ fromPosition, limit: req.query.type ? req.query.limit * 20 : req.query.limit })) {
        scanned++;
        last = event.position;
        if (!req.query.type || event.type === req.query.type) events.push(toJsonEvent(event));
        if (events.length === req.query.limit) break;
      }
      const head = await store.headPosition();
      const next = last !== undefined && head !== undefined && last < head ? last.toString() : null;
      return { events, next, scanned };
    },
  );
};
