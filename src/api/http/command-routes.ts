import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BusinessDate } from '../../../events/business-date.ts';
import type { Actor } from '../../../events/envelope.ts';
import { problemResponses } from './openapi-responses.ts';
import { PlanParams, RefParams } from './plan-params.ts';
import type { RouteAccessConfig } from './route-access.ts';

/**
 * The contract every write route shares: a route only translates its URL and body into one
 * command and hands it to `run`, which the application supplies (idempotency, If-Match,
 * who is acting, the 201 answer). Every rule lives in the decider.
 */

/** Runs one command for a request and sends the answer: 201 with the new revision as ETag and the global position. */
export type RunCommand<Command> = (
  request: FastifyRequest,
  reply: FastifyReply,
  planId: string,
  command: Command,
  effectiveOn?: string,
) => Promise<void>;

export interface CommandRouteDeps<Command> {
  run: RunCommand<Command>;
  /** Who is acting: the authenticated principal (or, in an app built without access control, a fixed operator). */
  actorOf: (request: FastifyRequest) => Actor;
}

/** Who a command is attributed to, and whether the caller may run it on the plan (throws to refuse). */
export interface CommandAccess<Command, State> {
  actorOf: (request: FastifyRequest) => Actor;
  /** Absent only in an app built without access control. */
  authorise?: (request: FastifyRequest, command: Command, state: State) => void;
}

/** The business date field every command body takes. */
export const effective = { effectiveOn: BusinessDate.optional().describe('When it happened, as the document says; today if omitted') };

export const CommandAccepted = z.object({
  planId: z.string(),
  revision: z.number().describe('The plan stream revision after this command: the new ETag'),
  firstPosition: z.string().describe('Global position of the first event written'),
  position: z.string().describe('Global position of the last event written; pass as minPosition to read your write'),
  eventIds: z.array(z.string()),
  replayed: z.boolean().describe('True when this Idempotency-Key was seen before and nothing new was written'),
});

/** Strong ETags carry the plan revision: "3". */
export const etagOf = (revision: bigint) => `"${revision}"`;

/**
 * The strong ETag of a plan's live view: its revision and the London day its statuses are worked out
 * for ("3@2026-11-23"), as the body changes with either (overdue, due soon, days overdue move with the
 * day). `If-Match` takes it, and compares the revision (src/http/command-route.ts).
 */
export const liveViewEtagOf = (revision: bigint | number, today: string) => `"${revision}@${today}"`;

/** The route options every write shares: who may call it, its OpenAPI tag and its answers. */
export const commandRouteOptions = {
  config: { access: 'command' } satisfies RouteAccessConfig,
  tags: ['commands'],
  responses: { 201: CommandAccepted, ...problemResponses },
};

type Body<B extends z.ZodType<object>> = Omit<z.infer<B>, 'effectiveOn'>;

/**
 * Builders for the two kinds of write route: on the plan (`/plans/:planId/…`), and on one
 * recommendation or action named by its ref in the URL (`/plans/:planId/…/:ref/…`).
 */
export const commandRoutes = <Command>(root: FastifyInstance, { run }: Pick<CommandRouteDeps<Command>, 'run'>) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { config, tags, responses } = commandRouteOptions;
  const onPlan = <B extends z.ZodType<object>>(url: string, summary: string, body: B, toCommand: (data: Body<B>) => Command) =>
    app.post(url, { config, schema: { tags, summary, params: PlanParams, body, response: responses } }, async (req, reply) => {
      const { effectiveOn, ...data } = req.body as z.infer<B> & { effectiveOn?: string };
      await run(req, reply, req.params.planId, toCommand(data), effectiveOn);
      return reply;
    });
  const onRef = <B extends z.ZodType<object>>(
    url: string,
    summary: string,
    body: B,
    toCommand: (params: RefParams, data: Body<B>) => Command,
  ) =>
    app.post(url, { config, schema: { tags, summary, params: RefParams, body, response: responses } }, async (req, reply) => {
      const { effectiveOn, ...data } = req.body as z.infer<B> & { effectiveOn?: string };
      await run(req, reply, req.params.planId, toCommand(req.params, data), effectiveOn);
      return reply;
    });
  return { app, onPlan, onRef };
};
